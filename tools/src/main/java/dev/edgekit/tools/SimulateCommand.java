package dev.edgekit.tools;

import dev.edgekit.console.DurationConverter;
import dev.edgekit.console.EdgekitCommand;
import dev.edgekit.console.Advertising;

import dev.edgekit.broker.EmbeddedBroker;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code edgekit simulate}: a fleet of simulated devices on a laptop. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Runs N simulated devices in one JVM, each with its own MQTT session, simulated board and",
            "skewed, drifting clock, against the embedded broker (or --broker). Shows a live status line and a summary."})
final class SimulateCommand implements java.util.concurrent.Callable<Integer> {
    @Option(names = {"-n", "--devices"}, defaultValue = "10", description = "How many devices (default: ${DEFAULT-VALUE}).")
    int devices;

    @Option(names = "--broker", description = "Use this broker instead of starting the embedded one.")
    String broker;

    @Option(names = "--port", defaultValue = "1883",
            description = "Port for the embedded broker, if free; else any free port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = {"-d", "--duration"}, converter = DurationConverter.class,
            description = "Stop after this long (e.g. 30s, 5m); default: until Ctrl-C.")
    Duration duration;

    @Option(names = "--site", defaultValue = "sim", description = "Site of the simulated devices (default: ${DEFAULT-VALUE}).")
    String site;

    @Option(names = "--seed", defaultValue = "1", description = "Seed for clocks and signals (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--heartbeat", defaultValue = "1s", converter = DurationConverter.class,
            description = "Heartbeat interval (default: ${DEFAULT-VALUE}).")
    Duration heartbeat;

    @Option(names = "--sample", defaultValue = "1s", converter = DurationConverter.class,
            description = "Sampling interval (default: ${DEFAULT-VALUE}).")
    Duration sample;

    @Option(names = "--max-offset", defaultValue = "5s", converter = DurationConverter.class,
            description = "Device clocks start up to this far off (default: ${DEFAULT-VALUE}).")
    Duration maxOffset;

    @Option(names = "--max-drift", defaultValue = "100", description = "Device clocks drift up to ± this many ppm (default: ${DEFAULT-VALUE}).")
    double maxDriftPpm;

    @Option(names = "--faults", defaultValue = "0", description = {"Fraction of devices (0..1) that suffer one hardware"
            + " fault (I2C NACK, 1-Wire CRC error or stuck value) at a random moment within --fault-window (default:"
            + " ${DEFAULT-VALUE})."})
    double faults;

    @Option(names = "--fault-window", defaultValue = "60s", converter = DurationConverter.class,
            description = "Faults start within this long after the start (default: ${DEFAULT-VALUE}).")
    Duration faultWindow;

    @picocli.CommandLine.Mixin
    Advertising advertising = new Advertising(); // _mqtt._tcp for the embedded broker

    @Override
    public Integer call() throws Exception {
        if (devices < 1 || devices > 5000) {
            throw new IllegalArgumentException("--devices must be between 1 and 5000, not " + devices);
        }
        EdgekitCommand.quietLogs();
        PrintStream out = System.out;
        EmbeddedBroker embedded = null;
        String uri = broker;
        if (uri == null) {
            requireEmbeddedBroker();
            embedded = EmbeddedBroker.start(isFree(port) ? port : 0);
            uri = embedded.uri();
            out.printf(Locale.ROOT, "embedded MQTT 5 broker on %s — watch it: mosquitto_sub -h 127.0.0.1 -p %d"
                    + " -t 'edgekit/v1/#' -v   or: ./edgekit monitor --broker %s%n", uri, embedded.port(), uri);
        }
        // agents with broker.discover find the embedded broker (it listens on loopback only)
        dev.edgekit.ubiquitous.discovery.Discovery advertised = embedded == null ? null : advertising.advertise(
                dev.edgekit.ubiquitous.discovery.ServiceKind.MQTT, "edgekit broker " + site, embedded.port(),
                java.util.Map.of("site", site));
        if (advertised != null) {
            out.printf(Locale.ROOT, "advertised as _mqtt._tcp 'edgekit broker %s' (site=%s) on %s%n", site, site,
                    advertising.address());
        }
        Clock reference = Clock.systemUTC();
        long startNanos = System.nanoTime(); // reset once every device is up, so --duration is time running
        CountDownLatch interrupted = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(1);
        Simulator simulator = new Simulator(new Simulator.Plan(devices, uri, site, seed, heartbeat, sample, maxOffset,
                maxDriftPpm, faults, faultWindow), reference);
        Thread hook = new Thread(() -> { // Ctrl-C: let the main thread stop the devices cleanly, then exit
            interrupted.countDown();
            try {
                finished.await(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "simulate-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        boolean tty = System.console() != null;
        try {
            out.printf(Locale.ROOT, "starting %d simulated devices on site '%s' (seed %d)…%n", devices, site, seed);
            try {
                simulator.start().get(Math.max(30, devices / 10), TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                out.println("not every device connected within the start-up time; carrying on");
            }
            out.printf(Locale.ROOT, "all %d devices started in %.1f s%n", devices, (System.nanoTime() - startNanos) / 1e9);
            startNanos = System.nanoTime();
            long deadline = duration == null ? Long.MAX_VALUE : startNanos + duration.toNanos();
            long lastPlain = 0;
            while (System.nanoTime() < deadline && !interrupted.await(1, TimeUnit.SECONDS)) {
                Simulator.Summary s = simulator.summary();
                long elapsed = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos);
                String line = String.format(Locale.ROOT, "[%4ds] %d/%d online · %d clocks synced · %d degraded"
                        + " · telemetry %d sent, %d seen · %d failed · %d events · %d malformed", elapsed, s.online(),
                        s.devices(), s.synced(), s.degraded(), s.telemetrySent(), s.telemetrySeen(),
                        s.telemetryFailed(), s.eventsSeen(), s.malformedSeen());
                if (tty) {
                    out.print("\r" + line + "   ");
                    out.flush();
                } else if (elapsed - lastPlain >= 5) {
                    out.println(line);
                    lastPlain = elapsed;
                }
            }
            if (tty) {
                out.println();
            }
        } finally {
            out.println("stopping…");
            Simulator.Summary s = simulator.summary();
            long elapsed = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos);
            simulator.close();
            if (advertised != null) {
                advertised.close();
            }
            if (embedded != null) {
                embedded.close();
            }
            out.printf(Locale.ROOT, "summary: %d devices over %d s; %d online at the end; telemetry %d sent, %d seen by"
                    + " the observer, %d failed; %d reconnects; %d malformed messages seen; %d hardware faults injected,"
                    + " %d devices degraded at the end, %d events seen%n", s.devices(), elapsed,
                    s.online(), s.telemetrySent(), s.telemetrySeen(), s.telemetryFailed(), s.reconnects(),
                    s.malformedSeen(), s.faultsInjected(), s.degraded(), s.eventsSeen());
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the JVM is already on its way out
            }
        }
        return 0;
    }

    /** The .deb leaves the embedded broker out (boards never need it): say so instead of a NoClassDefFoundError. */
    private static void requireEmbeddedBroker() {
        try {
            Class.forName("com.hivemq.embedded.EmbeddedHiveMQ", false, SimulateCommand.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("this installation has no embedded broker (the .deb leaves it out):"
                    + " pass --broker tcp://HOST:1883");
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
