package dev.edgekit.agent.outbox;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Durable appends per second and append latency (call to "committed") of the SQLite outbox, for each
 * {@link Durability} and three producer shapes. Not a test: prints figures.
 *
 * <pre>
 * ./scripts/mvn -B -q -pl device-agent -am process-test-classes -Dbench=outbox [-Dbench.seconds=5] [-Dbench.dir=/var/tmp]
 * </pre>
 * (later exposed as {@code edgekit bench outbox}). Each scenario runs {@code bench.seconds} after a 1 s warm-up
 * on a fresh database; payloads are ~110-byte JSON telemetry bodies.
 */
public final class OutboxBenchmark {
    private static final String TOPIC = "edgekit/v1/lab/bench-01/telemetry/temperature";

    private OutboxBenchmark() {
    }

    record Result(String durability, String shape, long appends, double seconds, long[] latenciesNanos) {
        double rate() {
            return appends / seconds;
        }

        double percentileMicros(double p) {
            if (latenciesNanos.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.min(latenciesNanos.length - 1, Math.ceil(p * latenciesNanos.length) - 1);
            return latenciesNanos[Math.max(0, i)] / 1_000.0;
        }
    }

    public static void main(String[] args) throws Exception {
        double seconds = Double.parseDouble(System.getProperty("bench.seconds", "3"));
        Path base = Path.of(System.getProperty("bench.dir", System.getProperty("java.io.tmpdir")));
        Path dir = Files.createTempDirectory(base, "outbox-bench");
        System.out.printf(Locale.ROOT, "outbox benchmark: %s, %.0f s per scenario, %d cores, %s%n", dir, seconds,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"));
        List<Result> results = new ArrayList<>();
        try {
            for (Durability durability : Durability.values()) {
                results.add(run(dir, durability, "1 producer, append() blocks", seconds, 1, 1));
                results.add(run(dir, durability, "8 producers, append() blocks", seconds, 8, 1));
                results.add(run(dir, durability, "1 producer, appendAsync, 64 outstanding", seconds, 1, 64));
                results.add(run(dir, durability, "1 producer, appendAsync, 1024 outstanding", seconds, 1, 1024));
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.out.printf(Locale.ROOT, "%n%-7s %-42s %12s %10s %10s %10s%n", "sync", "producers", "appends/s",
                "p50 µs", "p99 µs", "p99.9 µs");
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "%-7s %-42s %,12.0f %10.1f %10.1f %10.1f%n", r.durability(), r.shape(),
                    r.rate(), r.percentileMicros(0.50), r.percentileMicros(0.99), r.percentileMicros(0.999));
        }
    }

    private static Result run(Path dir, Durability durability, String shape, double seconds, int producers,
                              int outstanding) throws IOException, InterruptedException {
        Path file = dir.resolve(durability + "-" + producers + "-" + outstanding + ".db");
        OutboxConfig config = OutboxConfig.builder(file).durability(durability).maxEntries(10_000_000)
                .maxBytes(4L << 30).build();
        try (Outbox outbox = Outbox.open(config)) {
            drive(outbox, 1.0, producers, outstanding); // warm-up
            long[] lat = drive(outbox, seconds, producers, outstanding);
            Arrays.sort(lat);
            return new Result(durability.name(), shape, lat.length, seconds, lat);
        } finally {
            for (String suffix : new String[] {"", "-wal", "-shm"}) {
                Files.deleteIfExists(file.resolveSibling(file.getFileName() + suffix));
            }
        }
    }

    /** Appends from {@code producers} threads for {@code seconds}; returns every append's latency. */
    private static long[] drive(Outbox outbox, double seconds, int producers, int outstanding)
            throws InterruptedException {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        List<long[]> perThread = new ArrayList<>();
        AtomicInteger counter = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < producers; t++) {
            perThread.add(null);
            int index = t;
            threads.add(Thread.ofPlatform().name("bench-producer-" + t).start(() -> {
                LongList lat = new LongList();
                if (outstanding <= 1) {
                    while (System.nanoTime() < end) {
                        long start = System.nanoTime();
                        outbox.append(entry(counter.incrementAndGet()));
                        lat.add(System.nanoTime() - start);
                    }
                } else {
                    Semaphore window = new Semaphore(outstanding);
                    while (System.nanoTime() < end) {
                        window.acquireUninterruptibly();
                        long start = System.nanoTime();
                        CompletableFuture<Receipt> f = outbox.appendAsync(entry(counter.incrementAndGet()));
                        f.whenComplete((r, e) -> {
                            synchronized (lat) {
                                lat.add(System.nanoTime() - start);
                            }
                            window.release();
                        });
                    }
                    window.acquireUninterruptibly(outstanding); // all completed
                }
                synchronized (perThread) {
                    perThread.set(index, lat.toArray());
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        return perThread.stream().flatMapToLong(Arrays::stream).toArray();
    }

    private static NewEntry entry(int i) {
        return NewEntry.telemetry(TOPIC, seq -> String.format(Locale.ROOT,
                "{\"v\":1,\"seq\":%d,\"value\":%.3f,\"unit\":\"C\",\"ts\":\"2026-01-01T00:00:00.000000Z\"}",
                seq, 20 + (i % 1000) / 100.0).getBytes(UTF_8));
    }

    /** A growable long array (no boxing in the measured loop). */
    private static final class LongList {
        private long[] values = new long[1 << 16];
        private int size;

        void add(long v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        long[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
