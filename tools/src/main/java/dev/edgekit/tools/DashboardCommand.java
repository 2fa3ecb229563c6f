package dev.edgekit.tools;

import dev.edgekit.console.DurationConverter;
import dev.edgekit.console.EdgekitCommand;
import dev.edgekit.console.FleetWatch;
import dev.edgekit.dashboard.Dashboard;
import dev.edgekit.protocol.message.Codec;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.ubiquitous.detect.LivenessMonitor;
import dev.edgekit.ubiquitous.registry.Registry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code edgekit dashboard}: the fleet in a browser, live. */
@Command(name = "dashboard", mixinStandardHelpOptions = true,
        description = {"Serves a live web dashboard of the fleet: devices and their state as this consumer judges it,",
            "plots of every channel and clock, time servers, events; output controls with the operator role.",
            "Listens on 127.0.0.1 unless --listen says otherwise, which then needs --token-file or --token."})
final class DashboardCommand implements Callable<Integer> {
    @Mixin
    FleetWatch fleet;

    @Option(names = "--listen", defaultValue = "127.0.0.1:8080", paramLabel = "HOST:PORT",
            description = "Address to serve on (default: ${DEFAULT-VALUE}; a free port when 8080 is busy).")
    String listen;

    @Option(names = "--token-file", paramLabel = "FILE", description = "File whose first line is the access token"
            + " (at least 16 characters); required to listen beyond loopback.")
    Path tokenFile;

    @Option(names = "--token", paramLabel = "TOKEN", description = "The access token itself (visible to other users"
            + " of this machine in the process list: prefer --token-file).")
    String token;

    @Option(names = "--allow-controls", description = "Offer output controls although the dashboard has no operator"
            + " identity (a development broker without logins). With --bundle/--cert/--username they are on anyway.")
    boolean allowControls;

    @Option(names = "--read-only", description = "Never offer output controls.")
    boolean readOnly;

    @Option(names = "--duration", converter = DurationConverter.class,
            description = "Stop after this long (default: until Ctrl-C).")
    Duration duration;

    @Override
    public Integer call() throws Exception {
        EdgekitCommand.quietLogs();
        Listen where = Listen.parse(listen);
        String secret = token(); // every flag checked before anything connects
        boolean controls = !readOnly && (allowControls || fleet.hasOperatorIdentity());
        String operator = fleet.operatorId();
        Dashboard.Options options = new Dashboard.Options(where.host(), where.port(), where.port() == 8080, secret,
                controls, operator != null ? operator : "dashboard", Duration.ofMillis(500));
        Clock clock = Clock.systemUTC();
        Registry registry = new Registry(clock, new Codec());
        LivenessMonitor liveness = LivenessMonitor.attach(registry, fleet.detectorConfig());
        Dashboard[] started = new Dashboard[1];
        try (MqttSession session = fleet.connect("dashboard", registry, s -> {
            try {
                started[0] = Dashboard.start(options, registry, liveness, s, fleet.site(), clock,
                        new SplittableRandom(System.nanoTime() ^ ProcessHandle.current().pid()));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }); Dashboard dashboard = started[0]) {
            PrintStream out = System.out;
            announce(out, dashboard, fleet.broker());
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "dashboard-stop"));
            if (duration != null) {
                stop.await(duration.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } else {
                stop.await();
            }
        } catch (RuntimeException e) {
            if (started[0] != null) {
                started[0].close();
            }
            throw e;
        }
        return 0;
    }

    static void announce(PrintStream out, Dashboard dashboard, String broker) {
        Dashboard.Options o = dashboard.options();
        out.printf(Locale.ROOT, "dashboard on %s%s (fleet from %s; output controls %s)%n", dashboard.url(),
                dashboard.portWasBusy() ? " — port " + o.port() + " was busy, took " + dashboard.port() : "",
                broker, o.controls() ? "on" : "off");
        if (o.token() != null) {
            out.printf(Locale.ROOT, "  log in once with %slogin?token=<your token>%n", dashboard.url());
        }
        out.flush();
    }

    private String token() throws IOException {
        if (token != null && tokenFile != null) {
            throw new IllegalArgumentException("--token, --token-file: give one, not both");
        }
        if (tokenFile != null) {
            if (!Files.isReadable(tokenFile)) {
                throw new IllegalArgumentException("--token-file: " + tokenFile + " does not exist or is not readable");
            }
            String text = Files.readString(tokenFile, StandardCharsets.UTF_8);
            int end = text.indexOf('\n');
            return (end < 0 ? text : text.substring(0, end)).strip();
        }
        return token;
    }

    /** {@code HOST:PORT}, {@code [v6]:PORT} or {@code :PORT} (loopback). */
    record Listen(String host, int port) {
        static Listen parse(String text) {
            int colon = text.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("--listen: '" + text + "' is not HOST:PORT");
            }
            String host = text.substring(0, colon);
            host = host.isEmpty() ? "127.0.0.1" : host.startsWith("[") && host.endsWith("]")
                    ? host.substring(1, host.length() - 1) : host;
            try {
                int port = Integer.parseInt(text.substring(colon + 1));
                if (port < 0 || port > 65535) {
                    throw new NumberFormatException();
                }
                return new Listen(host, port);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--listen: port in '" + text + "' is not 0..65535");
            }
        }
    }
}
