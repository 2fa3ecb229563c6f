package dev.edgekit.console;

import dev.edgekit.time.DeviceClock;
import dev.edgekit.time.DisciplinedClock;
import dev.edgekit.time.ServerInfo;
import dev.edgekit.time.SyncStatus;
import dev.edgekit.time.TimeClient;
import dev.edgekit.time.TimeServer;
import dev.edgekit.time.TimeSync;
import dev.edgekit.time.TimeSyncConfig;
import dev.edgekit.time.ntp.NtpServer;
import dev.edgekit.time.ntp.NtpServerConfig;
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
            "--ntp-port P: also answer NTP/SNTP clients over UDP on port P (off by default;",
            "  123 is the standard port and needs root or CAP_NET_BIND_SERVICE).",
            "Prints a status line every few seconds; Ctrl-C clears the announcement."})
final class TimeServerCommand implements java.util.concurrent.Callable<Integer> {
    @Option(names = "--broker", converter = Flags.BrokerUrl.class, defaultValue = "tcp://127.0.0.1:1883", description = "Broker URL (default: ${DEFAULT-VALUE}).")
    String broker;

    @Option(names = "--site", converter = Flags.Id.class, defaultValue = "lab", description = "Site (default: ${DEFAULT-VALUE}).")
    String site;

    @Option(names = "--id", converter = Flags.Id.class, defaultValue = "time-1", description = "This server's id (default: ${DEFAULT-VALUE}).")
    String id;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--stratum1", required = true, description = "Serve this host's clock as the reference (stratum 1).")
        boolean stratum1;

        @Option(names = "--upstream", converter = Flags.Id.class, required = true, description = "Sync from this time server and serve at its stratum + 1.")
        String upstream;
    }

    @Option(names = "--claimed-error", defaultValue = "1ms", converter = Flags.NonNegativeDuration.class,
            description = "--stratum1: how well the host clock is believed to be set (default: ${DEFAULT-VALUE}).")
    Duration claimedError;

    @Option(names = "--status-every", defaultValue = "5s", converter = Flags.PositiveDuration.class,
            description = "Status line interval (default: ${DEFAULT-VALUE}).")
    Duration statusEvery;

    @Option(names = "--duration", converter = Flags.PositiveDuration.class, description = "Stop after this long (default: until Ctrl-C).")
    Duration duration;

    // off unless asked for: 123 needs privileges, and a host that already runs chronyd or ntpd owns it
    @Option(names = "--ntp-port", paramLabel = "P",
            description = "Also serve NTP over UDP on this port (1-65535; default: off; 123 needs root).")
    Integer ntpPort;

    @Option(names = "--ntp-address", defaultValue = "0.0.0.0", paramLabel = "ADDR",
            description = "Address the NTP server listens on (default: ${DEFAULT-VALUE}, every interface).")
    String ntpAddress;

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
        java.net.InetAddress ntpListen = ntpPort == null ? null : ntpListenAddress();
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
        NtpServer ntp = null;
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
            if (ntpPort != null) {
                ntp = NtpServer.start(clock, NtpServerConfig.on(ntpListen, ntpPort));
                out.printf(Locale.ROOT, "NTP on UDP %s%n", ntp.localAddress());
            }
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
                out.println(status(server, clock, sync) + ntpStatus(ntp));
            }
        } finally {
            if (advertised != null) advertised.close();
            if (client != null) client.close();
            if (ntp != null) ntp.close();
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

    private java.net.InetAddress ntpListenAddress() {
        if (ntpPort < 1 || ntpPort > 65_535) {
            throw new IllegalArgumentException("--ntp-port: " + ntpPort + " is not a UDP port (1-65535)");
        }
        if (!ntpAddress.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            throw new IllegalArgumentException("--ntp-address: '" + ntpAddress + "' is not an IP address");
        }
        try {
            return java.net.InetAddress.getByName(ntpAddress); // a literal: no name lookup
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("--ntp-address: '" + ntpAddress + "' is not an IP address");
        }
    }

    private static String ntpStatus(NtpServer ntp) {
        if (ntp == null) return "";
        NtpServer.Stats s = ntp.stats();
        return String.format(Locale.ROOT, " · ntp served %d, kiss-o'-death %d, dropped %d %s", s.served(), s.kissed(),
                s.droppedTotal(), s.droppedTotal() == 0 ? "" : s.dropped().entrySet().stream()
                        .filter(e -> e.getValue() > 0).map(e -> e.getKey().name().toLowerCase(Locale.ROOT) + "="
                                + e.getValue()).toList());
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
