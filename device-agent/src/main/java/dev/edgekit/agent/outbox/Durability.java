package dev.edgekit.agent.outbox;

/**
 * When an append counts as durable: SQLite's {@code synchronous} setting in WAL mode.
 * Measured on the 2-core development VM (see RELIABILITY.md and {@code OutboxBenchmark}).
 */
public enum Durability {
    /**
     * {@code synchronous=NORMAL}: a commit is in the WAL file (in the OS page cache) before the append
     * returns; the WAL is fsynced at checkpoints. Survives a crash or kill -9 of the agent; a power loss or
     * kernel crash can lose the most recent commits (never corrupts the database). The default: it is what
     * the ≥ 10,000 appends/s target and the kill -9 guarantee need, and SD cards make fsync-per-commit slow.
     */
    NORMAL,
    /**
     * {@code synchronous=FULL}: the WAL is fsynced at every commit; survives power loss too (if the storage
     * honours flushes). Group commit amortises the fsync over concurrent appends.
     */
    FULL;

    String pragma() {
        return name();
    }
}
