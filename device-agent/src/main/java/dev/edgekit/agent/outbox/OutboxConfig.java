package dev.edgekit.agent.outbox;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;

/**
 * How an outbox is opened. Build with {@link #builder(Path)}; every bound is explicit.
 *
 * @param file the SQLite database file (its {@code -wal} and {@code -shm} siblings live next to it)
 * @param durability when an append counts as durable
 * @param maxEntries bound on undelivered entries on disk
 * @param maxBytes bound on their payload + topic bytes
 * @param memoryEntries bound on the memory buffer used while the disk is unavailable
 * @param memoryBytes byte bound on that buffer
 * @param diskRetryInterval how often a degraded outbox retries the disk
 * @param maxBatch most operations committed in one transaction (group commit)
 * @param queueCapacity pending operations before callers block (back-pressure, never an unbounded queue)
 * @param maxMessageBytes the largest entry (payload + topic) an append accepts; larger ones are refused at once
 *                        (keep it some hundreds of bytes under the broker's {@code max_packet_size}, which also
 *                        counts the MQTT header and properties)
 * @param maxDeadLetters rows kept in the {@code dead_letter} table (entries the broker refused for good); the
 *                       oldest go first beyond it (they stay counted)
 * @param clock stamps {@code created_at}, checkpoints and corrupt-file names, and paces disk retries
 * @param cacheKiB SQLite's page cache for this database ({@code PRAGMA cache_size}), in KiB
 * @param writerThreads makes the one thread that owns the database (a platform thread by default; many outboxes in
 *                      one JVM, as in a simulated fleet, give virtual threads so writers do not cost an OS thread each)
 * @param partition the device's partition of a {@link SharedOutboxFile} instead of a file of its own, or null; its
 *                  {@code file} and {@code durability} are then the shared file's
 */
public record OutboxConfig(Path file, Durability durability, long maxEntries, long maxBytes, int memoryEntries,
                           long memoryBytes, Duration diskRetryInterval, int maxBatch, int queueCapacity,
                           long maxMessageBytes, int maxDeadLetters, InstantSource clock, int cacheKiB,
                           java.util.concurrent.ThreadFactory writerThreads, Partition partition) {
    /** One device's rows in a shared file. */
    public record Partition(SharedOutboxFile file, String device) {
        public Partition {
            Objects.requireNonNull(file, "file");
            if (device == null || device.isBlank()) {
                throw new IllegalArgumentException("partition device must be named");
            }
        }
    }

    public OutboxConfig {
        if (partition != null && (!file.equals(partition.file().file())
                || durability != partition.file().durability())) {
            throw new IllegalArgumentException("a partition has its shared file's path and durability");
        }
        Objects.requireNonNull(writerThreads, "writerThreads");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(durability, "durability");
        Objects.requireNonNull(diskRetryInterval, "diskRetryInterval");
        Objects.requireNonNull(clock, "clock");
        positive(maxEntries, "maxEntries");
        positive(maxBytes, "maxBytes");
        positive(memoryEntries, "memoryEntries");
        positive(memoryBytes, "memoryBytes");
        positive(maxBatch, "maxBatch");
        positive(queueCapacity, "queueCapacity");
        positive(maxMessageBytes, "maxMessageBytes");
        positive(maxDeadLetters, "maxDeadLetters");
        positive(cacheKiB, "cacheKiB");
        if (diskRetryInterval.isNegative() || diskRetryInterval.isZero()) {
            throw new IllegalArgumentException("diskRetryInterval must be positive: " + diskRetryInterval);
        }
    }

    private static void positive(long value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }

    public static Builder builder(Path file) {
        return new Builder(file);
    }

    public static final class Builder {
        private final Path file;
        private Durability durability = Durability.FULL;
        private java.util.concurrent.ThreadFactory writerThreads = SqliteOutbox.OWN_WRITER_THREAD;
        private long maxEntries = 1_000_000;
        private long maxBytes = 256L * 1024 * 1024;
        private int memoryEntries = 10_000;
        private long memoryBytes = 4L * 1024 * 1024;
        private Duration diskRetryInterval = Duration.ofSeconds(5);
        private int maxBatch = 1024;
        private int queueCapacity = 8192;
        private long maxMessageBytes = 252 * 1024; // under dev.conf's max_packet_size (256 KiB), room for headers
        private int maxDeadLetters = 10_000;
        private InstantSource clock = InstantSource.system();
        private int cacheKiB = 256;
        private Partition partition;

        private Builder(Path file) {
            this.file = Objects.requireNonNull(file, "file");
        }

        public Builder durability(Durability durability) {
            this.durability = durability;
            return this;
        }

        /** Bound on disk; whichever of entries and bytes is reached first triggers the overflow policy. */
        public Builder maxEntries(long maxEntries) {
            this.maxEntries = maxEntries;
            return this;
        }

        public Builder maxBytes(long maxBytes) {
            this.maxBytes = maxBytes;
            return this;
        }

        public Builder memoryBuffer(int entries, long bytes) {
            this.memoryEntries = entries;
            this.memoryBytes = bytes;
            return this;
        }

        public Builder diskRetryInterval(Duration interval) {
            this.diskRetryInterval = interval;
            return this;
        }

        public Builder maxBatch(int maxBatch) {
            this.maxBatch = maxBatch;
            return this;
        }

        public Builder queueCapacity(int queueCapacity) {
            this.queueCapacity = queueCapacity;
            return this;
        }

        /** The largest entry (payload + topic bytes) an append accepts; default 252 KiB. */
        public Builder maxMessageBytes(long maxMessageBytes) {
            this.maxMessageBytes = maxMessageBytes;
            return this;
        }

        /** Rows kept in the dead-letter table; default 10,000. */
        public Builder maxDeadLetters(int maxDeadLetters) {
            this.maxDeadLetters = maxDeadLetters;
            return this;
        }

        /** SQLite's page cache for the file, in KiB; default 256. */
        public Builder cacheKiB(int cacheKiB) {
            this.cacheKiB = cacheKiB;
            return this;
        }

        /** Where the writer thread comes from; default a platform daemon thread {@code edgekit-outbox-writer}. */
        public Builder writerThreads(java.util.concurrent.ThreadFactory writerThreads) {
            this.writerThreads = writerThreads;
            return this;
        }

        /**
         * Keeps the outbox in {@code device}'s partition of {@code shared} instead of the builder's file (whose
         * durability and page cache then do not apply: the shared file's are the connection's).
         */
        public Builder partitionOf(SharedOutboxFile shared, String device) {
            this.partition = new Partition(shared, device);
            return this;
        }

        public Builder clock(InstantSource clock) {
            this.clock = clock;
            return this;
        }

        public OutboxConfig build() {
            Path where = partition == null ? file : partition.file().file();
            Durability how = partition == null ? durability : partition.file().durability();
            return new OutboxConfig(where, how, maxEntries, maxBytes, memoryEntries, memoryBytes,
                    diskRetryInterval, maxBatch, queueCapacity, maxMessageBytes, maxDeadLetters, clock, cacheKiB,
                    writerThreads, partition);
        }
    }
}
