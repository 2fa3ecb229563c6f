package dev.edgekit.agent.outbox;

import java.time.Instant;

/** Whether appends reach the disk; the heartbeat shows it. */
public sealed interface StorageHealth {
    /** Appends are committed to the database. */
    record Healthy() implements StorageHealth {
    }

    /**
     * The database refused writes (disk full, I/O error) since {@code since}; appends go to the bounded memory
     * buffer and are written back when a retry succeeds.
     */
    record Degraded(String reason, Instant since) implements StorageHealth {
    }
}
