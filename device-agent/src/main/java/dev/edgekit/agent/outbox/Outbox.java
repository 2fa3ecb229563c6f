package dev.edgekit.agent.outbox;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A durable, bounded, ordered store of messages waiting for the broker's PUBACK, one per device.
 *
 * <p>Every append gets the next sequence number of the device (never reused, across restarts too) and is
 * committed before it becomes visible to {@link #peek}: nothing is published before it is durable. Entries
 * leave only through {@link #acknowledge} (after PUBACK) or the overflow policy (oldest telemetry first,
 * counted). All database work runs on one writer thread that commits queued operations in batches (group
 * commit); callers block only when that queue is full.
 */
public interface Outbox extends AutoCloseable {

    /**
     * Opens (or creates) the outbox at {@code config.file()}. A file that is not a sound SQLite database is
     * moved aside to {@code <file>.corrupt-<timestamp>} with one log line and a fresh outbox is created.
     */
    static Outbox open(OutboxConfig config) {
        return SqliteOutbox.open(config);
    }

    /**
     * Appends and waits until the entry is durable (or buffered in memory, see {@link Receipt#durable()}).
     * Under {@link Durability#FULL} that is one fsync (milliseconds): sampling loops should use
     * {@link #appendAsync}, which lets group commit write many entries per fsync.
     */
    Receipt append(NewEntry entry);

    /** Appends without waiting; the future completes once the entry is committed (or buffered). */
    CompletableFuture<Receipt> appendAsync(NewEntry entry);

    /** Up to {@code limit} undelivered entries with {@code seq > afterSeq}, in sequence order. */
    List<OutboxEntry> peek(long afterSeq, int limit);

    /**
     * {@link #peek} without blocking the caller: the read runs on the outbox's own thread (after the commit of
     * what is queued before it) and the future completes there; continue elsewhere if the work is not quick.
     */
    default CompletableFuture<List<OutboxEntry>> peekAsync(long afterSeq, int limit) {
        try {
            return CompletableFuture.completedFuture(peek(afterSeq, limit));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Up to {@code limit} of the oldest undelivered entries, in sequence order. */
    default List<OutboxEntry> peekOldest(int limit) {
        return peek(Long.MIN_VALUE, limit);
    }

    /**
     * The broker acknowledged {@code seq}: delete it. Does not wait (a delete lost in a crash only causes a
     * duplicate, which consumers drop); later peeks never return it.
     */
    void acknowledge(long seq);

    /**
     * The broker refused {@code seq} for good (MQTT 5 reason {@code reasonCode}, e.g. 0x87 not authorized): move it
     * out of the delivery queue into the {@code dead_letter} table, counted in {@link OutboxStatus#rejected()} and
     * logged. Does not wait; later peeks never return it. Unknown (already deleted) seqs are ignored.
     */
    void reject(long seq, int reasonCode, String reason);

    /** Waits until every operation queued before this call is committed (or buffered). */
    void flush();

    OutboxStatus status();

    CheckpointStore checkpoints();

    /**
     * Runs {@code listener} on the writer thread after each batch that added entries; it must be quick
     * (an {@link OutboxDrainer} uses it to wake up).
     */
    void onAppended(Runnable listener);

    /** Commits what is queued, then closes the database. Later calls fail with {@link IllegalStateException}. */
    @Override
    void close();
}
