package dev.edgekit.agent.outbox;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What callers hand the outbox's writer thread through its bounded queue ({@link SqliteOutbox}): each operation that
 * returns something carries the future the writer completes once its transaction committed (or failed).
 */
sealed interface WriterOp {
    record Append(NewEntry entry, CompletableFuture<Receipt> done) implements WriterOp {
    }

    record Ack(long seq) implements WriterOp {
    }

    record Reject(long seq, int reasonCode, String reason) implements WriterOp {
    }

    record Peek(long afterSeq, int limit, CompletableFuture<List<OutboxEntry>> done) implements WriterOp {
    }

    record Save(String name, Checkpoint checkpoint, CompletableFuture<Boolean> done) implements WriterOp {
    }

    /** Completes once everything queued before it is committed ({@code flush}). */
    record Barrier(CompletableFuture<Void> done) implements WriterOp {
    }

    /** A test seam: runs on the writer's connection between batches. */
    record Direct(SqliteOutbox.SqlAction action, CompletableFuture<Void> done) implements WriterOp {
    }

    record Close() implements WriterOp {
    }

    /** Fails the caller waiting on {@code op}, if one is. */
    static void fail(WriterOp op, Throwable error) {
        switch (op) {
            case Append a -> a.done().completeExceptionally(error);
            case Peek p -> p.done().completeExceptionally(error);
            case Save s -> s.done().completeExceptionally(error);
            case Barrier b -> b.done().completeExceptionally(error);
            case Direct d -> d.done().completeExceptionally(error);
            case Ack ignored -> { }
            case Reject ignored -> { }
            case Close ignored -> { }
        }
    }
}
