package dev.edgekit.agent.outbox;

/**
 * When an append counts as durable: SQLite's {@code synchronous} setting in WAL mode.
 * Measured on the 2-core development VM (see {@code OutboxBenchmark}).
 */
public enum Durability {
    /**
     * {@code synchronous=NORMAL}: a commit is in the WAL file (in the OS page cache) when the append completes;
     * the WAL is fsynced only at checkpoints. Survives a crash or kill -9 of the agent, but a power loss or
     * kernel crash can lose every commit since the last checkpoint (up to ~1000 pages) — undelivered entries
     * and the sequence counter with them, so a device could reuse sequence numbers that consumers already saw.
     * For hosts with a UPS or tests that want speed: about 3× the throughput of FULL here.
     */
    NORMAL,
    /**
     * {@code synchronous=FULL} (the default): the WAL is fsynced at every commit, so an append that completed
     * survives power loss too (if the storage honours flushes). Boards lose power far more often than they
     * crash; group commit amortises one fsync over every append queued meanwhile, so throughput comes from
     * appending without waiting ({@link Outbox#appendAsync}): ~20,000/s with 64 outstanding, ~37,000–52,000/s
     * with 1024 on the development VM, against ~200–400/s for one producer that waits for each append.
     */
    FULL;

    String pragma() {
        return name();
    }
}
