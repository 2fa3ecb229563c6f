package dev.edgekit.tools;

import dev.edgekit.console.Flags;
import dev.edgekit.console.DurationConverter;
import dev.edgekit.console.EdgekitCommand;

import dev.edgekit.protocol.message.Birth;
import dev.edgekit.protocol.message.Capability;
import dev.edgekit.protocol.message.Codec;
import dev.edgekit.protocol.message.Heartbeat;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.protocol.mqtt.MqttSessionBuilder;
import dev.edgekit.protocol.mqtt.Outgoing;
import dev.edgekit.protocol.mqtt.PahoThreads;
import dev.edgekit.protocol.mqtt.UnconnectedSocketFactory;
import dev.edgekit.protocol.topic.Topics;
import dev.edgekit.ubiquitous.detect.DetectorConfig;
import dev.edgekit.ubiquitous.detect.Liveness;
import dev.edgekit.ubiquitous.detect.LivenessMonitor;
import dev.edgekit.ubiquitous.detect.Transition;
import dev.edgekit.ubiquitous.presence.Presence;
import dev.edgekit.ubiquitous.registry.Registry;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code edgekit bench detect}: how fast a registry consumer notices dead devices, and how often it wrongly suspects
 * live ones. N devices in this JVM (own MQTT session, presence and 1 Hz heartbeats each) and one consumer
 * (registry + failure detector checked every 20 ms), through a real broker. After a steady run that counts false
 * suspicions, three groups of devices fail at random instants:
 * <ol>
 *   <li>killed — the socket is closed as the kernel does when a process dies (FIN), reconnects refused: the broker
 *       publishes the Will;</li>
 *   <li>hung — heartbeats stop, the MQTT connection stays up (Paho keeps pinging);</li>
 *   <li>silent network loss — the socket turns into a black hole in both directions (no FIN, no RST, like a pulled
 *       cable): the failure detector suspects it, and the broker's keepalive (1.5 × keepalive) fires the Will.</li>
 * </ol>
 * Detection time = from the failure to the consumer's first transition away from online.
 */
@Command(name = "detect", mixinStandardHelpOptions = true,
        description = {"Failure detection time (killed, hung, silent network loss: p50/p99) and false suspicions",
            "over a steady run, with N simulated devices through a real broker (mosquitto on PATH, or --broker)."})
final class DetectBench implements java.util.concurrent.Callable<Integer> {
    @Option(names = "--devices", converter = Flags.PositiveInt.class, defaultValue = "100", description = "Devices (default: ${DEFAULT-VALUE}).")
    int devices;

    @Option(names = "--duration", defaultValue = "5m", converter = Flags.PositiveDuration.class,
            description = "Steady run for false suspicions (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--heartbeat", defaultValue = "1s", converter = Flags.PositiveDuration.class,
            description = "Heartbeat interval (default: ${DEFAULT-VALUE}).")
    Duration heartbeat;

    @Option(names = "--jitter", defaultValue = "0ms", converter = Flags.NonNegativeDuration.class,
            description = "Each heartbeat is delayed by a uniform 0..jitter (e.g. 200ms; default: ${DEFAULT-VALUE}).")
    Duration jitter;

    @Option(names = "--keepalive", defaultValue = "2s", converter = Flags.PositiveDuration.class,
            description = "MQTT keepalive of the devices (default: ${DEFAULT-VALUE}).")
    Duration keepAlive;

    @Option(names = "--kills", converter = Flags.NonNegativeInt.class, defaultValue = "20", description = "Devices failed per scenario (default: ${DEFAULT-VALUE}).")
    int kills;

    @Option(names = "--detector", defaultValue = "phi", description = "phi, phi:<threshold> or timeout:<duration>.")
    String detector;

    @Option(names = "--warmup", defaultValue = "10s", converter = Flags.NonNegativeDuration.class,
            description = "After every device is online, run this long before counting (connect storms settle; default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--broker", converter = Flags.BrokerUrl.class, description = "Use this broker instead of starting mosquitto.")
    String broker;

    @Option(names = "--seed", defaultValue = "1", description = "Seed for jitter and failure instants.")
    long seed;

    private final Clock clock = Clock.systemUTC();
    private final ConcurrentLinkedQueue<Transition> transitions = new ConcurrentLinkedQueue<>();

    @Override
    public Integer call() throws Exception {
        EdgekitCommand.quietLogs();
        int failing = Math.min(kills, Math.max(1, devices / 4));
        if (devices < 4) {
            throw new IllegalArgumentException("--devices must be at least 4 (three failure groups and survivors)");
        }
        Process mosquitto = null;
        Path dir = Files.createTempDirectory("edgekit-bench-detect-");
        String uri = broker;
        if (uri == null) {
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            Path conf = dir.resolve("mosquitto.conf");
            Files.writeString(conf, "listener " + port + " 127.0.0.1\nallow_anonymous true\nset_tcp_nodelay true\n"
                    + "max_queued_messages 10000\n");
            mosquitto = new ProcessBuilder("mosquitto", "-c", conf.toString()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
            uri = "tcp://127.0.0.1:" + port;
            waitForPort(port);
        }
        java.util.Random seeded = new java.util.Random(seed);
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
        ScheduledExecutorService paho = PahoThreads.virtual();
        List<BenchDevice> fleet = new ArrayList<>();
        DetectorConfig detectorConfig = DetectorConfig.parse(detector);
        Registry registry = new Registry(clock, new Codec());
        LivenessMonitor liveness = LivenessMonitor.attach(registry, detectorConfig);
        liveness.addListener(transitions::add);
        try (MqttSession consumer = MqttSession.builder().server(uri).clientId("bench-detect-consumer").build()) {
            registry.attach(consumer, "bench");
            consumer.connect().get(10, TimeUnit.SECONDS);
            registry.ready().get(10, TimeUnit.SECONDS);
            var checker = Executors.newSingleThreadScheduledExecutor();
            liveness.schedule(checker, clock, Duration.ofMillis(20));

            System.out.printf(Locale.ROOT, "bench detect: %d devices, heartbeat %d ms, jitter 0..%d ms, keepalive %d s,"
                    + " detector %s, broker %s%n", devices, heartbeat.toMillis(), jitter.toMillis(),
                    keepAlive.toSeconds(), detector, uri);
            List<CompletableFuture<Void>> connects = new ArrayList<>();
            for (int i = 0; i < devices; i++) {
                BenchDevice d = new BenchDevice(String.format(Locale.ROOT, "dev-%04d", i), uri, timers, paho,
                        new java.util.Random(seeded.nextLong()));
                fleet.add(d);
                connects.add(d.start());
            }
            CompletableFuture.allOf(connects.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (liveness.assessAll(clock.instant()).stream().filter(a -> a.state() == Liveness.ONLINE
                    && a.heartbeats() >= 3).count() < devices) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("not every device came online with 3 heartbeats within 60 s");
                }
                Thread.sleep(100);
            }
            System.out.printf(Locale.ROOT, "all %d devices online; warm-up %d s, then a steady run of %d s…%n", devices,
                    warmup.toSeconds(), duration.toSeconds());
            Thread.sleep(warmup.toMillis()); // connect storms and JIT settle; transitions so far are not counted
            long warmupSuspicions = transitions.stream().filter(t -> t.to() != Liveness.ONLINE).count();
            if (warmupSuspicions > 0) {
                System.out.printf(Locale.ROOT, "(during start-up and warm-up, not counted: %d suspicions)%n",
                        warmupSuspicions);
            }
            transitions.clear();
            Thread.sleep(duration.toMillis()); // the measured steady run
            List<Transition> falseSuspicions = transitions.stream().filter(t -> t.to() != Liveness.ONLINE).toList();
            System.out.printf(Locale.ROOT, "false suspicions: %d in %d s × %d devices%s%n", falseSuspicions.size(),
                    duration.toSeconds(), devices, falseSuspicions.isEmpty() ? "" : " " + falseSuspicions.stream()
                            .limit(5).map(Transition::toString).toList());

            int next = 0;
            for (Scenario scenario : Scenario.values()) {
                List<BenchDevice> victims = fleet.subList(next, next + failing);
                next += failing;
                Map<String, Instant> failedAt = new ConcurrentHashMap<>();
                for (BenchDevice victim : victims) {
                    long delay = seeded.nextLong(3000);
                    timers.schedule(() -> {
                        failedAt.put(victim.id, clock.instant());
                        victim.fail(scenario);
                    }, delay, TimeUnit.MILLISECONDS);
                }
                Duration wait = scenario == Scenario.SILENT ? keepAlive.multipliedBy(2).plusSeconds(8)
                        : Duration.ofSeconds(8);
                Thread.sleep(3000 + wait.toMillis()); // failures spread over 3 s, then time to detect them
                report(scenario, victims, failedAt, s -> s != Liveness.ONLINE, "detected");
                if (scenario == Scenario.SILENT) {
                    report(scenario, victims, failedAt, s -> s == Liveness.OFFLINE, "Will (offline)");
                    System.out.printf(Locale.ROOT, "  target for silent loss via keepalive: ≤ 1.5 × %d s + 1 s = %d ms%n",
                            keepAlive.toSeconds(), keepAlive.toMillis() * 3 / 2 + 1000);
                }
            }
            final int failedCount = next;
            List<Transition> survivorsSuspected = transitions.stream()
                    .filter(t -> fleet.stream().skip(failedCount).anyMatch(d -> d.id.equals(t.id())))
                    .filter(t -> t.to() != Liveness.ONLINE).toList();
            System.out.printf(Locale.ROOT, "false suspicions among the %d survivors during the failures: %d%n",
                    devices - next, survivorsSuspected.size());
            checker.shutdownNow();
        } finally {
            List<Thread> closers = new ArrayList<>();
            for (BenchDevice d : fleet) {
                closers.add(Thread.ofVirtual().start(d::close));
            }
            for (Thread t : closers) {
                t.join(5000);
            }
            timers.shutdownNow();
            paho.shutdownNow();
            if (mosquitto != null) {
                mosquitto.destroy();
                mosquitto.waitFor(5, TimeUnit.SECONDS);
            }
        }
        return 0;
    }

    private void report(Scenario scenario, List<BenchDevice> victims, Map<String, Instant> failedAt,
            java.util.function.Predicate<Liveness> detected, String what) {
        List<Long> millis = new ArrayList<>();
        int missed = 0;
        for (BenchDevice v : victims) {
            Instant failed = failedAt.get(v.id);
            var first = transitions.stream().filter(t -> t.id().equals(v.id) && detected.test(t.to())
                    && failed != null && !t.at().isBefore(failed)).findFirst();
            if (first.isPresent()) {
                millis.add(Duration.between(failed, first.get().at()).toMillis());
            } else {
                missed++;
            }
        }
        millis.sort(null);
        System.out.printf(Locale.ROOT, "%-6s %-15s n=%d p50 %s ms, p99 %s ms, max %s ms%s (target %s)%n",
                scenario.label, what, millis.size(), pct(millis, 0.50), pct(millis, 0.99),
                millis.isEmpty() ? "-" : millis.getLast(), missed > 0 ? ", NOT DETECTED: " + missed : "",
                scenario.target);
    }

    private static String pct(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return "-";
        }
        int i = (int) Math.ceil(p * sorted.size()) - 1;
        return Long.toString(sorted.get(Math.max(0, Math.min(sorted.size() - 1, i))));
    }

    private static void waitForPort(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("mosquitto did not start (is it installed?)", e);
                }
                Thread.sleep(50);
            }
        }
    }

    enum Scenario {
        KILLED("killed", "≤ 100 ms p99 via the Will"),
        HUNG("hung", "≤ 3000 ms p99"),
        SILENT("silent", "suspect by heartbeats; Will within 1.5 × keepalive + 1 s");

        final String label;
        final String target;

        Scenario(String label, String target) {
            this.label = label;
            this.target = target;
        }
    }

    /** One simulated device: session, presence, heartbeats; its sockets can be killed or black-holed. */
    private final class BenchDevice {
        final String id;
        final MqttSession session;
        final Presence presence;
        final ControlledSockets sockets = new ControlledSockets();
        final ScheduledExecutorService timers;
        final java.util.Random random;
        final Codec codec = new Codec();
        final Instant startedAt = clock.instant();
        volatile boolean beating = true;
        long seq;

        BenchDevice(String id, String uri, ScheduledExecutorService timers, ScheduledExecutorService paho,
                java.util.Random random) {
            this.id = id;
            this.timers = timers;
            this.random = random;
            this.presence = new Presence("bench", id, Duration.ZERO, startedAt.toEpochMilli(), this::birth, codec);
            MqttSessionBuilder builder = MqttSession.builder().server(uri).clientId(id).keepAlive(keepAlive)
                    .socketFactory(sockets).pahoExecutor(paho).scheduler(timers)
                    .reconnectBackoff(Duration.ofMillis(250), Duration.ofSeconds(2));
            presence.configure(builder);
            this.session = builder.build();
            presence.attach(session);
        }

        Birth birth(long birthSeq) {
            return new Birth(id, id, "bench", new Birth.Board("bench", null),
                    List.of(Capability.sensor("temperature", "°C")), "bench", new Birth.Network(null, null,
                            session.connectedServer()), null, startedAt, birthSeq, List.of());
        }

        CompletableFuture<Void> start() {
            scheduleBeat(clock.millis() + random.nextLong(heartbeat.toMillis()));
            return session.connect();
        }

        /** Beats on a fixed schedule; each beat is delayed by up to the jitter (no drift accumulates). */
        private void scheduleBeat(long nominalMillis) {
            long jitterMillis = jitter.toMillis() > 0 ? random.nextLong(jitter.toMillis()) : 0;
            long delay = Math.max(0, nominalMillis + jitterMillis - clock.millis());
            timers.schedule(() -> {
                if (!beating) {
                    return;
                }
                if (session.isConnected()) {
                    Heartbeat hb = new Heartbeat(id, seq++, Math.max(0, presence.birthSeq()), clock.instant(),
                            Duration.between(startedAt, clock.instant()).toSeconds(), null, null, null);
                    session.publish(Outgoing.of(Topics.heartbeat("bench", id).topic(), codec.encode(hb), 0));
                }
                scheduleBeat(nominalMillis + heartbeat.toMillis());
            }, delay, TimeUnit.MILLISECONDS);
        }

        void fail(Scenario scenario) {
            beating = false;
            switch (scenario) {
                case KILLED -> sockets.kill();
                case HUNG -> {
                }
                case SILENT -> sockets.blackhole();
            }
        }

        void close() {
            beating = false;
            sockets.refuse = true;
            session.close(Duration.ofSeconds(1));
        }
    }

    /** Sockets the bench can close (a process death) or turn into black holes (a pulled cable). */
    private static final class ControlledSockets extends UnconnectedSocketFactory {
        volatile boolean refuse;
        volatile boolean blackhole;
        final List<Socket> open = new java.util.concurrent.CopyOnWriteArrayList<>();

        void kill() {
            refuse = true;
            for (Socket s : open) {
                try {
                    s.close(); // FIN, as the kernel sends when the process dies
                } catch (IOException ignored) {
                    // already closed
                }
            }
        }

        void blackhole() {
            refuse = true;
            blackhole = true;
        }

        @Override
        public Socket createSocket() throws IOException {
            if (refuse) {
                throw new IOException("bench: this device is down");
            }
            Socket s = new ControlledSocket(this);
            open.add(s);
            return s;
        }
    }

    private static final class ControlledSocket extends Socket {
        private final ControlledSockets owner;
        private InputStream in;
        private OutputStream out;

        ControlledSocket(ControlledSockets owner) {
            this.owner = owner;
        }

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (in == null) {
                in = new FilterInputStream(super.getInputStream()) {
                    @Override
                    public int read() throws IOException {
                        while (true) {
                            int b = super.read();
                            if (b < 0 || !owner.blackhole) {
                                return b;
                            }
                        }
                    }

                    @Override
                    public int read(byte[] buffer, int off, int len) throws IOException {
                        while (true) {
                            int n = super.read(buffer, off, len);
                            if (n < 0 || !owner.blackhole) {
                                return n;
                            }
                        }
                    }
                };
            }
            return in;
        }

        @Override
        public synchronized OutputStream getOutputStream() throws IOException {
            if (out == null) {
                out = new FilterOutputStream(super.getOutputStream()) {
                    @Override
                    public void write(int b) throws IOException {
                        if (!owner.blackhole) {
                            super.write(b);
                        }
                    }

                    @Override
                    public void write(byte[] buffer, int off, int len) throws IOException {
                        if (!owner.blackhole) {
                            out.write(buffer, off, len);
                        }
                    }
                };
            }
            return out;
        }
    }
}
