package dev.edgekit.agent.outbox;

/**
 * A snapshot for the heartbeat and the retained state; reading it never touches the disk.
 *
 * @param depth undelivered entries (on disk and in the memory buffer)
 * @param bytes what they count against the byte bound (payload + topic)
 * @param memoryBuffered entries held in memory because the disk is unavailable
 * @param droppedTelemetry telemetry entries dropped by the overflow policy, ever (persisted)
 * @param droppedEvents events dropped by the overflow policy (only when no telemetry was left to drop)
 * @param nextSeq the sequence number the next append gets
 * @param health whether appends reach the disk
 * @param rejected entries the broker refused for good (not authorized, quota exceeded, payload format invalid,
 *                 packet too large), moved to the {@code dead_letter} table, plus appends refused for exceeding
 *                 {@link OutboxConfig#maxMessageBytes()}; ever (persisted)
 */
public record OutboxStatus(long depth, long bytes, long memoryBuffered, long droppedTelemetry, long droppedEvents,
                           long nextSeq, StorageHealth health, long rejected) {

    /** Without the rejected counter (zero). */
    public OutboxStatus(long depth, long bytes, long memoryBuffered, long droppedTelemetry, long droppedEvents,
                        long nextSeq, StorageHealth health) {
        this(depth, bytes, memoryBuffered, droppedTelemetry, droppedEvents, nextSeq, health, 0);
    }

    public long dropped() {
        return droppedTelemetry + droppedEvents;
    }
}
