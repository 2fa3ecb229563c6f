package dev.edgekit.agent.outbox;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import dev.edgekit.agent.outbox.WriterOp.Reject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writes of one outbox transaction, and what they change: entries and bytes on disk, entries the overflow policy
 * dropped, refusals moved to {@code dead_letter}. It only counts: the {@link OutboxLedger} applies the {@link Changes}
 * after COMMIT, so a transaction the disk refused changes no counter. The caller begins and ends the transaction (and
 * recovers the statements after a failure).
 */
final class OutboxTransaction {
    private static final Logger log = LoggerFactory.getLogger(Outbox.class);

    /**
     * What a transaction changed, to be applied once it committed.
     *
     * @param entries change in entries on disk
     * @param bytes change in their payload + topic bytes
     * @param droppedTelemetry telemetry the overflow policy deleted
     * @param droppedEvents events it deleted (only when no telemetry was left)
     * @param deadLettered refusals moved to {@code dead_letter}, in the order they were moved
     */
    record Changes(long entries, long bytes, long droppedTelemetry, long droppedEvents, List<Reject> deadLettered) {
        Changes {
            deadLettered = List.copyOf(deadLettered);
        }
    }

    private final OutboxStatements sql;
    private final OutboxConfig config;
    /** Entries and bytes on disk as last committed: the bounds are checked against these plus this transaction's. */
    private final long diskCount;
    private final long diskBytes;
    private long entries;
    private long bytes;
    private long droppedTelemetry;
    private long droppedEvents;
    private final List<Reject> deadLettered = new ArrayList<>();

    /** A transaction on {@code sql} under {@code config}'s bounds, with {@code diskCount} entries of {@code diskBytes}. */
    OutboxTransaction(OutboxStatements sql, OutboxConfig config, long diskCount, long diskBytes) {
        this.sql = sql;
        this.config = config;
        this.diskCount = diskCount;
        this.diskBytes = diskBytes;
    }

    /** Deletes the acknowledged entries; a seq no longer on disk is skipped. */
    void delete(Collection<Long> acknowledged) throws SQLException {
        for (long seq : acknowledged) {
            long size = sql.sizeOf(seq);
            if (size >= 0) {
                sql.delete(seq);
                entries--;
                bytes -= size;
            }
        }
    }

    /** Moves the refused entries to {@code dead_letter} with the broker's reason, keeping its newest rows. */
    void deadLetter(Collection<Reject> refusals, Instant now) throws SQLException {
        int moved = 0;
        for (Reject r : refusals) {
            long size = sql.sizeOf(r.seq());
            if (size < 0) {
                continue; // already gone (acknowledged by an earlier attempt, or dropped)
            }
            sql.deadLetter(r.seq(), r.reasonCode(), r.reason(), now.toEpochMilli());
            sql.delete(r.seq());
            entries--;
            bytes -= size;
            deadLettered.add(r);
            moved++;
        }
        if (moved > 0) {
            sql.trimDeadLetters(config.maxDeadLetters());
        }
    }

    void saveCheckpoints(Map<String, Checkpoint> checkpoints) throws SQLException {
        for (Map.Entry<String, Checkpoint> e : checkpoints.entrySet()) {
            sql.saveCheckpoint(e.getKey(), e.getValue());
        }
    }

    void insert(List<OutboxEntry> fresh) throws SQLException {
        for (OutboxEntry e : fresh) {
            sql.insert(e);
            entries++;
            bytes += e.size();
        }
    }

    /** The overflow policy on disk: oldest telemetry first; events only when no telemetry is left. */
    void enforceBounds() throws SQLException {
        for (EntryKind kind : EntryKind.values()) {
            while (over()) {
                List<long[]> victims = sql.oldestOfKind(kind);
                if (victims.isEmpty()) {
                    break;
                }
                for (long[] v : victims) {
                    if (!over()) {
                        break;
                    }
                    sql.delete(v[0]);
                    entries--;
                    bytes -= v[1];
                    if (kind == EntryKind.TELEMETRY) {
                        droppedTelemetry++;
                    } else {
                        droppedEvents++;
                    }
                }
            }
        }
        if (droppedEvents > 0) {
            log.warn("outbox full of events: dropped the {} oldest events (no telemetry left to drop)", droppedEvents);
        }
    }

    private boolean over() {
        return diskCount + entries > config.maxEntries() || diskBytes + bytes > config.maxBytes();
    }

    /** What the writes so far changed. */
    Changes changes() {
        return new Changes(entries, bytes, droppedTelemetry, droppedEvents, deadLettered);
    }
}
