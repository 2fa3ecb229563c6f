package dev.edgekit.agent.outbox;

/**
 * The outcome of an append: the sequence number assigned, and whether the entry is durable (committed to the
 * database under the configured {@link Durability}) or held in the bounded memory buffer because the disk is
 * unavailable (see {@link OutboxStatus#health()}); buffered entries are written back when the disk recovers.
 */
public record Receipt(long seq, boolean durable) {
}
