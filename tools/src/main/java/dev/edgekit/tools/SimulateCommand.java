package dev.edgekit.tools;

import dev.edgekit.console.Flags;
import dev.edgekit.console.DurationConverter;
import dev.edgekit.console.EdgekitCommand;
import dev.edgekit.console.Advertising;

import dev.edgekit.broker.EmbeddedBroker;
import com.sun.management.UnixOperatingSystemMXBean;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
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
    /** Above this many devices, simulate points to --broker (measured with bench fleet --broker embedded). */
    static final int EMBEDDED_BROKER_LIMIT = 300;

    @Option(names = {"-n", "--devices"}, defaultValue = "10", description = "How many devices (default: ${DEFAULT-VALUE}).")
    int devices;

    @Option(names = "--broker", converter = Flags.BrokerUrl.class, description = "Use this broker instead of starting the embedded one.")
    String broker;

    @Option(names = "--port", converter = Flags.ListenPort.class, defaultValue = "1883",
            description = "Port for the embedded broker, if free; else any free port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = {"-d", "--duration"}, converter = Flags.PositiveDuration.class,
            description = "Stop after this long (e.g. 30s, 5m); default: until Ctrl-C.")
    Duration duration;

    @Option(names = "--site", converter = Flags.Id.class, defaultValue = "sim", description = "Site of the simulated devices (default: ${DEFAULT-VALUE}).")
    String site;

    @Option(names = "--seed", defaultValue = "1", description = "Seed for clocks and signals (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--heartbeat", defaultValue = "1s", converter = Flags.PositiveDuration.class,
            description = "Heartbeat interval (default: ${DEFAULT-VALUE}).")
    Duration heartbeat;

    @Option(names = "--sample", defaultValue = "1s", converter = Flags.PositiveDuration.class,
            description = "Sampling interval (default: ${DEFAULT-VALUE}).")
    Duration sample;

    @Option(names = "--max-offset", defaultValue = "5s", converter = Flags.NonNegativeDuration.class,
            description = "Device clocks start up to this far off (default: ${DEFAULT-VALUE}).")
    Duration maxOffset;

    @Option(names = "--max-drift", converter = Flags.NonNegativeNumber.class, defaultValue = "100", description = "Device clocks drift up to ± this many ppm (default: ${DEFAULT-VALUE}).")
    double maxDriftPpm;

    @Option(names = "--faults", converter = Flags.Fraction.class, defaultValue = "0", description = {"Fraction of devices (0..1) that suffer one hardware"
            + " fault (I2C NACK, 1-Wire CRC error or stuck value) at a random moment within --fault-window (default:"
            + " ${DEFAULT-VALUE})."})
    double faults;

    @Option(names = "--fault-window", defaultValue = "60s", converter = Flags.PositiveDuration.class,
            description = "Faults start within this long after the start (default: ${DEFAULT-VALUE}).")
    Duration faultWindow;

    @Option(names = "--keep-state", description = "Keep the run's state folder (each device's outbox and drift file)"
            + " after the run; by default it is removed.")
    boolean keepState;

    @Option(names = "--no-dashboard", description = "Do not start the web dashboard.")
    boolean noDashboard;

    @Option(names = "--dashboard-port", defaultValue = "8080", converter = Flags.Port.class,
            description = "Dashboard port on 127.0.0.1, if free; else any free port (default: ${DEFAULT-VALUE}).")
    int dashboardPort;

    @Option(names = "--min-poll", converter = DurationConverter.class, description = {"Shortest interval between"
            + " a device's time-sync bursts (default: 250 ms up to 12 devices, then longer in proportion, so the"
            + " fleet sends the site's time server at most ~" + FleetSizing.SYNC_EXCHANGES_PER_SECOND
            + " exchanges/s while settling)."})
    Duration minPoll;

    @Option(names = "--shard", converter = Shard.Converter.class, description = {"Run shard K of N of the fleet"
            + " (e.g. 2/4): this host runs its slice of the --devices device ids, disjoint from the other shards', so"
            + " N hosts run one fleet against one --broker (default: the whole fleet)."})
    Shard shard = Shard.WHOLE;

    @Option(names = "--home-assistant", description = {"Every device publishes Home Assistant MQTT discovery"
            + " (interop.homeAssistant): point Home Assistant's MQTT integration at the broker and the fleet appears"
            + " (docs/home-assistant.md)."})
    boolean homeAssistant;

    @Option(names = "--sparkplug", description = {"Every device is also a Sparkplug B edge node in group --site"
            + " (interop.sparkplug): a Sparkplug host (Ignition, HiveMQ, a Tahu application) on the broker sees the"
            + " fleet (docs/sparkplug.md)."})
    boolean sparkplug;

    @Option(names = "--shadow", description = {"Devices follow their device shadow, and simulate runs the site's"
            + " shadow keeper: edgekit shadow set sim-0001 '{\"fan\":40}' --site sim --broker … (docs/shadow.md)."})
    boolean shadow;

    @Option(names = "--chaos", description = {"Strike the fleet: every --chaos-every, crash and restart an agent"
            + " or cut it from the broker for 5-25 s, and step some device clocks; at the end, check that nothing was"
            + " lost, no sequence number reused, every device came back, every clock resynced, and no other device was"
            + " shown offline (exit code 3 if not). Only a tenth of the fleet is struck (--chaos-victims)."})
    boolean chaos;

    @Option(names = "--chaos-every", defaultValue = "10s", converter = Flags.PositiveDuration.class,
            description = "Interval between chaos strikes (default: ${DEFAULT-VALUE}).")
    Duration chaosEvery;

    @Option(names = "--chaos-victims", defaultValue = "0", converter = Flags.NonNegativeInt.class,
            description = "How many devices chaos may strike (default: a tenth of the fleet, 1..50).")
    int chaosVictims;

    @Option(names = "--report", description = "Write the end-of-run figures (counters, fleet-wide clock error) as JSON"
            + " to this file.")
    java.nio.file.Path report;

    @picocli.CommandLine.Mixin
    Advertising advertising = new Advertising(); // _mqtt._tcp for the embedded broker

    /** The most devices one simulator runs (the 10,000-agent stretch of docs/fleet.md); more: --shard over hosts. */
    static final int MAX_DEVICES = 10_000;
    /** Files the simulator opens besides the agents' sockets. */
    private static final int FILES_RESERVED = 256;

    @Override
    public Integer call() throws Exception {
        if (devices < 1 || devices > MAX_DEVICES) {
            throw new IllegalArgumentException("--devices must be between 1 and " + MAX_DEVICES + ", not " + devices);
        }
        if (shard.to(devices) == shard.from(devices)) {
            throw new IllegalArgumentException("--shard " + shard.index() + "/" + shard.count() + " of " + devices
                    + " devices has no device: use fewer shards or more --devices");
        }
        int here = shard.to(devices) - shard.from(devices); // the devices this host runs
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean os) {
            var tooMany = fileLimitProblem(here, broker == null, os.getMaxFileDescriptorCount());
            if (tooMany.isPresent()) {
                throw new IllegalArgumentException(tooMany.get());
            }
        }
        EdgekitCommand.quietLogs();
        PrintStream out = System.out;
        heapNote(here, Runtime.getRuntime().maxMemory()).ifPresent(out::println);
        EmbeddedBroker embedded = null;
        String uri = broker;
        if (uri == null) {
            if (devices > EMBEDDED_BROKER_LIMIT) {
                out.printf(Locale.ROOT, "note: %d devices is more than the embedded broker serves well on a small"
                        + " machine (measured on 2 cores: at 100-300 devices every QoS 1 message arrived, but QoS 0"
                        + " heartbeats went missing for seconds; see docs/fleet.md). For more, run Mosquitto"
                        + " (mosquitto -c broker-config/mosquitto/dev.conf) and pass --broker tcp://127.0.0.1:1883%n",
                        devices);
            }
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
                maxDriftPpm, faults, faultWindow, minPoll != null ? minPoll : FleetSizing.minPoll(devices), shard),
                reference, SimulationRun.create(keepState));
        if (homeAssistant || sparkplug) {
            simulator.interop(new dev.edgekit.agent.config.AgentConfig.Interop(homeAssistant, "homeassistant",
                    sparkplug ? new dev.edgekit.agent.config.AgentConfig.Sparkplug(site) : null));
        }
        if (shadow) {
            simulator.shadow();
        }
        SimulatedChaos chaotic = chaos ? SimulatedChaos.plan(simulator, uri, site, seed, chaosEvery, chaosVictims,
                reference, out) : null;
        int exit = 0;
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
        SimulationDashboard dashboard = null;
        double startedSeconds = -1;
        try {
            out.printf(Locale.ROOT, "starting %d simulated devices on site '%s' (seed %d; run %s, state in %s%s)%s…%n",
                    shard.to(devices) - shard.from(devices), site, seed, simulator.run().id(), simulator.run().root(),
                    keepState ? ", kept" : ", removed at the end", shard.count() == 1 ? "" : String.format(
                    Locale.ROOT, ", shard %d/%d: devices %d to %d", shard.index(), shard.count(),
                    shard.from(devices) + 1, shard.to(devices)));
            try {
                simulator.start().get(Math.max(30, devices / 10), TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                out.println("not every device connected within the start-up time; carrying on");
            }
            startedSeconds = (System.nanoTime() - startNanos) / 1e9;
            if (!noDashboard) { // not before: following 1,000 devices' start slowed it by ~3 s (bench fleet)
                dashboard = SimulationDashboard.start(simulator, dashboardPort, seed, out);
            }
            out.printf(Locale.ROOT, "all %d devices started in %.1f s%n", shard.to(devices) - shard.from(devices),
                    startedSeconds);
            if (chaotic != null) {
                chaotic.start();
            }
            startNanos = System.nanoTime();
            long deadline = duration == null ? Long.MAX_VALUE : startNanos + duration.toNanos();
            long lastPlain = 0;
            while (System.nanoTime() < deadline && !interrupted.await(1, TimeUnit.SECONDS)) {
                Simulator.Summary s = simulator.summary();
                long elapsed = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos);
                String line = String.format(Locale.ROOT, "[%4ds] %d/%d online · %d clocks synced · %d degraded"
                        + " · telemetry %d sent, %d seen · %d failed · %d events · %d malformed", elapsed, s.online(),
                        s.devices(), s.synced(), s.degraded(), s.telemetrySent(), s.telemetrySeen(),
                        s.telemetryFailed(), s.eventsSeen(), s.malformedSeen()) + keepingUp(s);
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
            if (chaotic != null) {
                exit = chaotic.finish() == 0 ? 0 : 3;
            }
        } finally {
            if (chaotic != null) {
                chaotic.close();
            }
            out.println("stopping…");
            Simulator.Summary s = simulator.summary();
            long elapsed = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos);
            if (report != null) {
                SimulateReport.write(report, SimulateReport.of(s, simulator.syncErrorsNanos(), startedSeconds));
            }
            simulator.close();
            if (dashboard != null) {
                dashboard.close();
            }
            if (advertised != null) {
                advertised.close();
            }
            if (embedded != null) {
                embedded.close();
            }
            out.printf(Locale.ROOT, "summary: %d devices over %d s; %d online at the end; telemetry %d sent, %d seen by"
                    + " the observer, %d failed; %d reconnects; %d malformed messages seen; %d hardware faults injected,"
                    + " %d devices degraded at the end, %d events seen; worst sampling lag %.2f s, backlog %d at the end%n",
                    s.devices(), elapsed, s.online(), s.telemetrySent(), s.telemetrySeen(), s.telemetryFailed(),
                    s.reconnects(), s.malformedSeen(), s.faultsInjected(), s.degraded(), s.eventsSeen(),
                    s.worstLagNanos() / 1e9, s.backlog());
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the JVM is already on its way out
            }
        }
        return exit;
    }

    /**
     * The honest part of the status line: how far the shared scheduler (every sampler and heartbeat) is behind, and
     * how much waits in the outboxes; past one sampling interval the machine is not keeping up, and the line says so.
     */
    private String keepingUp(Simulator.Summary s) {
        double lagSeconds = s.lagNanos() / 1e9;
        String figures = String.format(Locale.ROOT, " · sampling lag %.2f s · backlog %d", lagSeconds, s.backlog())
                + observerBehind(s.telemetrySent(), s.telemetrySeen() + s.eventsSeen()); // sent counts events too
        return s.lagNanos() > sample.toNanos() ? figures + " · NOT KEEPING UP (fewer devices, a longer --sample, or"
                + " another host: --shard)" : figures;
    }

    /**
     * "seen" is what this process's own consumer has taken from the broker; when the machine is short of CPU it falls
     * behind what the agents had acknowledged, and the line says so rather than show a stale count as the truth.
     */
    static String observerBehind(long sent, long seen) {
        long behind = sent - seen;
        return behind > Math.max(100, sent / 100) ? " · observer " + behind + " behind (the broker has them)" : "";
    }

    /**
     * A fleet's live heap is ~130 KB per agent (1,000 agents: ~130 MB after a full collection, bench fleet); with
     * room for what is in flight, a heap under ~200 KB per agent collects all the time and then runs out.
     */
    /**
     * Each agent holds a socket (two with the embedded broker in this JVM: its end too); the outbox files, the
     * dashboard and the JVM's own take a few hundred more. Refused at start, not as "Too many open files" mid-run.
     */
    static java.util.Optional<String> fileLimitProblem(int agents, boolean embeddedBroker, long maxFiles) {
        long needed = (long) agents * (embeddedBroker ? 2 : 1) + FILES_RESERVED;
        if (needed <= maxFiles) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(String.format(Locale.ROOT, "--devices: %d devices need about %d open files%s"
                + " and this process may open %d; raise the limit (ulimit -n %d) or split the fleet over hosts with"
                + " --shard", agents, needed, embeddedBroker ? " (the embedded broker's end of each connection too)"
                : "", maxFiles, needed));
    }

    /**
     * A note when the heap looks too small for {@code agents}: about 128 KB of live data each (1,000 agents keep
     * ~125 MB after a full collection) plus 128 MB for what is in flight. {@code maxHeapBytes} is the JVM's own
     * figure, one survivor space short of -Xmx.
     */
    static java.util.Optional<String> heapNote(int agents, long maxHeapBytes) {
        long wantMb = agents * 128L / 1024 + 128;
        long haveMb = maxHeapBytes / (1024 * 1024);
        if (wantMb <= haveMb) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(String.format(Locale.ROOT, "note: %d devices want about %d MB of heap and this"
                + " JVM may use %d MB; set EDGEKIT_SIMULATE_JAVA_OPTS with -Xmx%dm (see the launcher's default), or"
                + " split the fleet over hosts with --shard", agents, wantMb, haveMb, wantMb));
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
