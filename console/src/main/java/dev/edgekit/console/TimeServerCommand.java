package dev.edgekit.console;

import dev.edgekit.time.DeviceClock;
import dev.edgekit.time.DisciplinedClock;
import dev.edgekit.time.ServerInfo;
import dev.edgekit.time.SyncStatus;
import dev.edgekit.time.TimeClient;
import dev.edgekit.time.TimeServer;
import dev.edgekit.time.TimeSync;
import dev.edgekit.time.TimeSyncConfig;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.protocol.topic.Ids;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code edgekit time-server}: serves time on a site's {@code $time} tree, at stratum 1 or from an upstream server. */
@Command(name = "time-server", mixinStandardHelpOptions = true,
        description = {"Answers time requests on edgekit/v1/{site}/$time/{id}/request and announces",
            "itself (retained) on …/$time/{id}/announce.",
            "--stratum1: this host's clock is the reference (chrony- or GPS-disciplined).",
            "--upstream ID: sync from that server, serve at its stratum + 1 (max 15; no loops).",
            "Prints a status line every few seconds; Ctrl-C clears the announcement."})
final class TimeServerCommand implements java.util.concurrent.Callable<Integer> {
    @Option(names = "--broker", defaultValue = "tcp://127.0.0.1:1883", description = "Broker URL (default: ${DEFAULT-VALUE}).")
    String broker;

    @Option(names = "--site", defaultValue = "lab", description = "Site (default: ${DEFAULT-VALUE}).")
    String site;

    @Option(names = "--id", defaultValue = "time-1", description = "This server's id (default: ${DEFAULT-VALUE}).")
    String id;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--stratum1", required = true, description = "Serve this host's clock as the reference (stratum 1).")
        boolean stratum1;

        @Option(names = "--upstream", required = true, description = "Sync from this time server and serve at its stratum + 1.")
        String upstream;
    }

    @Option(names = "--claimed-error", defaultValue = "1ms", converter = DurationConverter.class,
            description = "--stratum1: how well the host clock is believed to be set (default: ${DEFAULT-VALUE}).")
    Duration claimedError;

    @Option(names = "--status-every", defaultValue = "5s", converter = DurationConverter.class,
            description = "Status line interval (default: ${DEFAULT-VALUE}).")
    Duration statusEvery;

    @Option(names = "--duration", converter = DurationConverter.class, description = "Stop after this long (default: until Ctrl-C).")
    Duration duration;

    @picocli.CommandLine.Mixin
    Advertising advertising = new Advertising(); // _edgekit-time._tcp

    @Override
    public Integer call() throws Exception {
        Ids.require(site, "--site");
        Ids.require(id, "--id");
        if (source.upstream != null) {
            Ids.require(source.upstream, "--upstream");
            if (source.upstream.equals(id)) {
                throw new IllegalArgumentException("--upstream " + id + " is this server itself: a loop");
            }
        }
        EdgekitCommand.quietLogs();
        PrintStream out = System.out;
        DeviceClock host = DeviceClock.system();
        DisciplinedClock clock = source.stratum1 ? DisciplinedClock.reference(host, claimedError) : DisciplinedClock.over(host);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "time-server");
            t.setDaemon(true);
            return t;
        });
        // arrival stamps on the raw host clock: t2 (served) and t4 (upstream exchanges), mapped by the time classes
        MqttSession session = MqttSession.builder().server(broker).clientId(id).clock(host).scheduler(scheduler).build();
        TimeServer server = TimeServer.start(session, site, id, clock);
        TimeSync sync = null;
        TimeClient client = null;
        if (source.upstream != null) {
            TimeSyncConfig cfg = TimeSyncConfig.builder(id, List.of(source.upstream)).build();
            sync = TimeSync.create(cfg, clock, Optional.empty());
            client = TimeClient.start(session, site, id, sync, cfg, scheduler, true, null);
        }
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                stopped.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "time-server-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        dev.edgekit.ubiquitous.discovery.Discovery advertised = null;
        try {
            session.connect().get(30, TimeUnit.SECONDS);
            // the time service is reached through the broker: TXT names it (broker=) and the server (id=)
            java.net.URI brokerUri = java.net.URI.create(broker);
            advertised = advertising.advertise(dev.edgekit.ubiquitous.discovery.ServiceKind.TIME,
                    "edgekit time " + site + " " + id, brokerUri.getPort(), java.util.Map.of("site", site, "id", id,
                            "broker", broker, "stratum", Integer.toString(source.stratum1 ? 1
                                    : ServerInfo.UNSYNCHRONISED)));
            out.printf(Locale.ROOT, "time server %s on site %s via %s: %s%n", id, site, broker, source.stratum1
                    ? "stratum 1 (host clock as reference, claimed error " + claimedError.toMillis() + " ms)"
                    : "syncing from " + source.upstream);
            long deadline = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
            while (System.nanoTime() < deadline && !stop.await(statusEvery.toMillis(), TimeUnit.MILLISECONDS)) {
                server.refreshAnnouncement();
                out.println(status(server, clock, sync));
            }
        } finally {
            if (advertised != null) advertised.close();
            if (client != null) client.close();
            server.close();
            session.close();
            scheduler.shutdownNow();
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C
            }
        }
        return 0;
    }

    private String status(TimeServer server, DisciplinedClock clock, TimeSync sync) {
        TimeServer.Stats s = server.stats();
        ServerInfo info = clock.serverInfo(id);
        String bound = clock.errorBound().map(b -> String.format(Locale.ROOT, "%.1f µs", b.toNanos() / 1e3)).orElse("∞");
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "stratum %s · error bound %s · served %d"
                + " · malformed %d", info.synchronised() ? Integer.toString(info.stratum()) : "16 (unsynchronised)",
                bound, s.served(), s.malformed()));
        if (sync != null) {
            SyncStatus st = sync.status();
            line.append(String.format(Locale.ROOT, " · upstream %s %s, offset %.1f µs, drift %.2f ppm, poll %ds,"
                    + " rejected %s", st.selectedServer().orElse("-"), st.state().name().toLowerCase(Locale.ROOT),
                    st.offset().toNanos() / 1e3, st.frequency().driftPpm(), st.pollInterval().toSeconds(), sync.rejections()));
        }
        return line.toString();
    }
}
