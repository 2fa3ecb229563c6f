package dev.edgekit.tools;

import dev.edgekit.console.Flags;
import dev.edgekit.console.EdgekitCommand;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.edgekit.agent.outbox.DrainerConfig;
import dev.edgekit.agent.outbox.Durability;
import dev.edgekit.agent.outbox.NewEntry;
import dev.edgekit.agent.outbox.Outbox;
import dev.edgekit.agent.outbox.OutboxConfig;
import dev.edgekit.agent.outbox.OutboxDrainer;
import dev.edgekit.agent.outbox.Receipt;
import dev.edgekit.broker.EmbeddedBroker;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.protocol.mqtt.Outgoing;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code edgekit bench outbox}: durable appends per second into the SQLite outbox; end-to-end delivered messages per
 * second from one outbox through the broker to a subscriber (the agent's wiring: drainer window 16, QoS 1, delete on
 * PUBACK); and the latency the outbox adds, sample to subscriber, against a direct QoS 1 publish at the same rate.
 */
@Command(name = "outbox", mixinStandardHelpOptions = true,
        description = {"Durable outbox figures: appends/s, end-to-end delivered msgs/s through the broker for one",
            "agent, and the p99 latency the outbox adds over a direct QoS 1 publish. Uses a private Mosquitto when",
            "installed (else the embedded broker) unless --broker is given."})
final class OutboxBench implements java.util.concurrent.Callable<Integer> {
    private static final String TOPIC = "edgekit/v1/bench/bench-outbox/telemetry/temperature";
    /** The agent's drainer window (below Mosquitto's default receive maximum of 20). */
    private static final int WINDOW = 16;

    @Option(names = "--seconds", converter = Flags.PositiveInt.class, defaultValue = "5", description = "Duration of each phase (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--durability", defaultValue = "FULL", description = "FULL or NORMAL (default: ${DEFAULT-VALUE}).")
    Durability durability;

    @Option(names = "--rate", converter = Flags.PositiveInt.class, defaultValue = "200", description = "Messages/s for the latency phase (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--broker", converter = Flags.BrokerUrl.class, description = "Use this broker (tcp://host:port) instead of a private one.")
    String broker;

    @Option(names = "--dir", description = "Where the benchmark outbox lives (default: a temporary folder).")
    Path dir;

    @Override
    public Integer call() throws Exception {
        EdgekitCommand.quietLogs();
        Path work = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("edgekit-bench-outbox-");
        AutoCloseable privateBroker = null;
        String uri = broker;
        if (uri == null) {
            Path mosquitto = Stream.of("/usr/sbin/mosquitto", "/usr/bin/mosquitto").map(Path::of)
                    .filter(Files::isExecutable).findFirst().orElse(null);
            if (mosquitto != null) {
                int port = freePort();
                Process p = startMosquitto(mosquitto, work, port);
                privateBroker = p::destroy;
                uri = "tcp://127.0.0.1:" + port;
            } else {
                EmbeddedBroker embedded = EmbeddedBroker.start();
                privateBroker = embedded;
                uri = embedded.uri();
            }
        }
        System.out.printf(Locale.ROOT, "outbox bench: durability %s (synchronous=%s), %d s per phase, broker %s%s,"
                + " %d cores, outbox in %s%n", durability, durability, seconds, uri, broker == null ? " (private)" : "",
                Runtime.getRuntime().availableProcessors(), work);
        try {
            appends(work);
            endToEnd(work, uri);
            addedLatency(work, uri);
        } finally {
            if (privateBroker != null) {
                privateBroker.close();
            }
            if (dir == null) {
                try (Stream<Path> files = Files.walk(work)) {
                    files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }
        return 0;
    }

    private Outbox open(Path work, String name) {
        return Outbox.open(OutboxConfig.builder(work.resolve(name)).durability(durability).maxEntries(10_000_000)
                .maxBytes(4L << 30).build());
    }

    /** Phase 1: appendAsync with 1024 outstanding (a sampling loop never waits for a commit). */
    private void appends(Path work) throws InterruptedException {
        try (Outbox outbox = open(work, "appends.db")) {
            drive(outbox, 1, 1024); // warm-up
            long[] lat = drive(outbox, seconds, 1024);
            Arrays.sort(lat);
            System.out.printf(Locale.ROOT, "durable appends:   %,10.0f /s   (1 producer, appendAsync, 1024 outstanding;"
                    + " commit latency p50 %.1f ms, p99 %.1f ms)%n", lat.length / (double) seconds,
                    pct(lat, 0.50) / 1e6, pct(lat, 0.99) / 1e6);
        }
    }

    private static long[] drive(Outbox outbox, int seconds, int outstanding) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        Semaphore window = new Semaphore(outstanding);
        long[][] lat = {new long[1 << 16]};
        AtomicInteger n = new AtomicInteger();
        while (System.nanoTime() < end) {
            window.acquire();
            long start = System.nanoTime();
            outbox.appendAsync(entry(start)).whenComplete((r, e) -> {
                synchronized (lat) {
                    int i = n.getAndIncrement();
                    if (i == lat[0].length) {
                        lat[0] = Arrays.copyOf(lat[0], i * 2);
                    }
                    lat[0][i] = System.nanoTime() - start;
                }
                window.release();
            });
        }
        window.acquire(outstanding);
        synchronized (lat) {
            return Arrays.copyOf(lat[0], n.get());
        }
    }

    /** Phase 2: as fast as the drainer gets PUBACKs; the producer keeps at most 4096 entries undelivered. */
    private void endToEnd(Path work, String uri) throws Exception {
        ScheduledExecutorService drainerThread = Executors.newSingleThreadScheduledExecutor();
        Semaphore backlog = new Semaphore(4096);
        AtomicLong received = new AtomicLong();
        try (Outbox outbox = open(work, "e2e.db");
             MqttSession agent = MqttSession.builder().server(uri).clientId("bench-outbox-agent").build();
             MqttSession consumer = MqttSession.builder().server(uri).clientId("bench-outbox-consumer").build()) {
            var subscription = consumer.subscribe(TOPIC, 1, in -> {
                received.incrementAndGet();
                backlog.release();
            });
            consumer.connect().get(10, TimeUnit.SECONDS);
            subscription.granted().get(10, TimeUnit.SECONDS);
            agent.connect().get(10, TimeUnit.SECONDS);
            try (OutboxDrainer drainer = OutboxDrainer.start(outbox, publisher(agent), drainerThread,
                    DrainerConfig.defaults().withWindow(WINDOW))) {
                long warmEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                while (System.nanoTime() < warmEnd) {
                    backlog.acquire();
                    outbox.appendAsync(entry(System.nanoTime()));
                }
                long startCount = received.get();
                long start = System.nanoTime();
                long end = start + TimeUnit.SECONDS.toNanos(seconds);
                while (System.nanoTime() < end) {
                    if (backlog.tryAcquire(10, TimeUnit.MILLISECONDS)) {
                        outbox.appendAsync(entry(System.nanoTime()));
                    }
                }
                double elapsed = (System.nanoTime() - start) / 1e9;
                System.out.printf(Locale.ROOT, "end-to-end:        %,10.0f msgs/s delivered (append → drainer, window %d,"
                        + " QoS 1 → broker → subscriber; %d re-sends)%n", (received.get() - startCount) / elapsed,
                        WINDOW, drainer.stats().failures());
            }
        } finally {
            drainerThread.shutdownNow();
        }
    }

    /** Phase 3: the same paced stream, once straight to the session, once through the outbox. */
    private void addedLatency(Path work, String uri) throws Exception {
        long[] direct = paced(work, uri, false);
        long[] viaOutbox = paced(work, uri, true);
        System.out.printf(Locale.ROOT, "latency at %d/s:   direct QoS 1 p50 %.2f ms p99 %.2f ms · via outbox p50 %.2f"
                + " ms p99 %.2f ms → the outbox adds %.2f ms at p99%n", rate, pct(direct, 0.5) / 1e6,
                pct(direct, 0.99) / 1e6, pct(viaOutbox, 0.5) / 1e6, pct(viaOutbox, 0.99) / 1e6,
                (pct(viaOutbox, 0.99) - pct(direct, 0.99)) / 1e6);
    }

    private long[] paced(Path work, String uri, boolean viaOutbox) throws Exception {
        int count = rate * seconds;
        long[] latencies = new long[count];
        AtomicInteger got = new AtomicInteger();
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
        String name = viaOutbox ? "outbox" : "direct";
        try (Outbox outbox = open(work, "latency-" + name + ".db");
             MqttSession agent = MqttSession.builder().server(uri).clientId("bench-latency-agent-" + name).build();
             MqttSession consumer = MqttSession.builder().server(uri).clientId("bench-latency-consumer-" + name)
                     .build()) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            var subscription = consumer.subscribe(TOPIC, 1, in -> {
                long sent = Long.parseLong(new String(in.payload(), UTF_8).replaceAll("^\\{\"t\":(\\d+).*", "$1"));
                int i = got.getAndIncrement();
                if (i < count) {
                    latencies[i] = System.nanoTime() - sent;
                }
                if (i + 1 >= count) {
                    done.complete(null);
                }
            });
            consumer.connect().get(10, TimeUnit.SECONDS);
            subscription.granted().get(10, TimeUnit.SECONDS);
            agent.connect().get(10, TimeUnit.SECONDS);
            OutboxDrainer drainer = viaOutbox ? OutboxDrainer.start(outbox, publisher(agent), pacer,
                    DrainerConfig.defaults().withWindow(WINDOW)) : null;
            AtomicInteger sent = new AtomicInteger();
            long periodNanos = 1_000_000_000L / rate;
            pacer.scheduleAtFixedRate(() -> {
                if (sent.getAndIncrement() >= count) {
                    return;
                }
                NewEntry e = entry(System.nanoTime());
                if (viaOutbox) {
                    outbox.appendAsync(e);
                } else {
                    agent.publish(Outgoing.of(e.topic(), e.payload().apply(0), 1));
                }
            }, 0, periodNanos, TimeUnit.NANOSECONDS);
            done.get(seconds + 30L, TimeUnit.SECONDS);
            if (drainer != null) {
                drainer.close();
            }
        } finally {
            pacer.shutdownNow();
        }
        Arrays.sort(latencies);
        return latencies;
    }

    private static OutboxDrainer.Publisher publisher(MqttSession session) {
        return e -> session.publish(Outgoing.of(e.topic(), e.payload(), e.qos()));
    }

    /** A ~100-byte telemetry body carrying the nanoTime it was produced at. */
    private static NewEntry entry(long producedAtNanos) {
        return NewEntry.telemetry(TOPIC, seq -> ("{\"t\":" + producedAtNanos + ",\"v\":1,\"id\":\"bench-outbox\",\"seq\":"
                + seq + ",\"channel\":\"temperature\",\"value\":21.5,\"unit\":\"C\"}").getBytes(UTF_8));
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
        return sorted[i];
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    private static Process startMosquitto(Path binary, Path work, int port) throws Exception {
        Path conf = work.resolve("mosquitto.conf");
        Files.writeString(conf, String.join("\n", List.of("listener " + port + " 127.0.0.1", "allow_anonymous true",
                "set_tcp_nodelay true", "persistence false",
                "root".equals(System.getProperty("user.name")) ? "user root" : "")) + "\n");
        Process p = new ProcessBuilder(binary.toString(), "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(work.resolve("mosquitto.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return p;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("mosquitto did not start on port " + port + "; see " + work.resolve("mosquitto.log"));
    }
}
