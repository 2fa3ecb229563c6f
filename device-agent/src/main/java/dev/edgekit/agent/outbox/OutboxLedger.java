package dev.edgekit.agent.outbox;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import dev.edgekit.agent.outbox.WriterOp.Reject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the outbox knows between transactions, and the logic that changes it: the counters as committed (entries and
 * bytes on disk, overflow drops, refusals), the sequence numbers handed out and persisted, what waits for the next
 * transaction (acknowledged and refused seqs, checkpoints), and the disk's health with the {@link MemoryBuffer} that
 * holds entries while the disk refuses writes.
 *
 * <p>A batch's operations are recorded in queue order ({@link #admit}, {@link #acknowledge}, {@link #reject},
 * {@link #saveCheckpoint}); then {@link #commit} writes them in one {@link OutboxTransaction}, whose changes reach the
 * counters only after its COMMIT. Confined to the writer thread (and to opening, before it starts). It takes no lock:
 * its caller holds the connection's lock around every method that touches the database ({@link #commit},
 * {@link #read}, and {@link #load} on a shared file).
 */
final class OutboxLedger {
    private static final Logger log = LoggerFactory.getLogger(Outbox.class);
    private static final String NEXT_SEQ = "next_seq";
    private static final String DROPPED_TELEMETRY = "dropped_telemetry";
    private static final String DROPPED_EVENTS = "dropped_events";
    private static final String REJECTED = "rejected";

    /**
     * How a batch ended.
     *
     * @param durable its fresh entries are committed (else they are in the memory buffer)
     * @param checkpointsSaved every checkpoint saved so far is on disk
     */
    record Outcome(boolean durable, boolean checkpointsSaved) {
    }

    private final OutboxConfig config;
    private final OutboxStatements sql;
    private long nextSeq;
    private long persistedNextSeq;
    private long diskCount;
    private long diskBytes;
    private long droppedTelemetry;
    private long droppedEvents;
    private long rejected;
    /** Appends refused for their size (or buffered entries refused) since the counter was last written. */
    private long rejectedSinceCommit;
    /** Entries the full memory buffer dropped since the drop counters were last written. */
    private boolean bufferDropsUnsaved;
    /** Entries that could not be written (disk unavailable); all have higher seqs than any entry on disk. */
    private final MemoryBuffer memory;
    /** Acknowledged seqs whose delete has not been committed yet (hidden from peek meanwhile). */
    private final TreeSet<Long> pendingDeletes = new TreeSet<>();
    /** Refused seqs not yet moved to dead_letter (hidden from peek meanwhile). */
    private final TreeMap<Long, Reject> pendingRejects = new TreeMap<>();
    private final Map<String, Checkpoint> pendingCheckpoints = new LinkedHashMap<>();
    private StorageHealth health = new StorageHealth.Healthy();
    private Instant nextDiskRetry = Instant.MIN;
    private boolean reservationWarned;

    private OutboxLedger(OutboxConfig config, OutboxStatements sql) {
        this.config = config;
        this.sql = sql;
        this.memory = new MemoryBuffer(config.memoryEntries(), config.memoryBytes());
    }

    /** The ledger of the outbox on {@code sql}: its counters and totals as on disk; a new database gets its first seq. */
    static OutboxLedger load(OutboxConfig config, OutboxStatements sql) throws SQLException {
        OutboxLedger ledger = new OutboxLedger(config, sql);
        Map<String, Long> counters = sql.counters();
        long[] totals = sql.diskTotals();
        ledger.diskCount = totals[0];
        ledger.diskBytes = totals[1];
        long maxSeq = totals[2];
        Long stored = counters.get(NEXT_SEQ);
        if (stored == null) {
            // A new database. Start above any sequence number an earlier, lost database of this device can
            // have used (a corrupt file moved aside, a deleted file): microseconds since the epoch, which a
            // device never outruns. Consumers see one gap instead of dropping new entries as duplicates.
            long floor = Math.max(1, Math.multiplyExact(config.clock().millis(), 1000L));
            stored = Math.max(floor, maxSeq + 1);
            sql.exec("BEGIN IMMEDIATE");
            try {
                sql.setCounter(NEXT_SEQ, stored);
                sql.exec("COMMIT");
            } catch (SQLException e) {
                sql.recover(); // a shared connection must not stay inside this partition's transaction
                throw e;
            }
        }
        ledger.nextSeq = Math.max(stored, maxSeq + 1);
        ledger.persistedNextSeq = stored;
        ledger.droppedTelemetry = counters.getOrDefault(DROPPED_TELEMETRY, 0L);
        ledger.droppedEvents = counters.getOrDefault(DROPPED_EVENTS, 0L);
        ledger.rejected = counters.getOrDefault(REJECTED, 0L);
        return ledger;
    }

    // ------------------------------------------------------------------ a batch's operations, in queue order

    /**
     * Gives {@code entry} the next sequence number and encodes its payload with it, stamped {@code now}. An encoder
     * that throws, or a payload over {@link OutboxConfig#maxMessageBytes()} (counted as rejected), fails this entry
     * alone and uses no sequence number.
     */
    OutboxEntry admit(NewEntry entry, Instant now) {
        byte[] payload = entry.payload().apply(nextSeq);
        if (payload == null) {
            throw new NullPointerException("payload encoder returned null for " + entry.topic());
        }
        long size = OutboxEntry.sizeOf(entry.topic(), payload);
        if (size > config.maxMessageBytes()) {
            rejected++;
            rejectedSinceCommit++;
            log.warn("outbox refused an entry of {} bytes for {}: larger than outbox.maxMessageBytes "
                    + "({}), the broker would refuse it", size, entry.topic(), config.maxMessageBytes());
            throw new OutboxException("entry of " + size + " bytes for " + entry.topic()
                    + " exceeds outbox.maxMessageBytes (" + config.maxMessageBytes()
                    + "): the broker would refuse it", null);
        }
        return new OutboxEntry(nextSeq++, entry.kind(), entry.qos(), entry.topic(), payload, now);
    }

    /** A buffered entry goes at once; one on disk is hidden until its delete commits. */
    void acknowledge(long seq) {
        OutboxEntry buffered = memory.remove(seq);
        if (buffered == null) {
            pendingDeletes.add(seq);
        }
    }

    /** An entry on disk is hidden until it moves to dead_letter; a buffered one cannot get there and is dropped. */
    void reject(Reject refusal) {
        OutboxEntry buffered = memory.remove(refusal.seq());
        if (buffered != null) { // cannot reach the disk now: dropped, but counted and logged
            rejected++;
            rejectedSinceCommit++;
            log.warn("outbox: broker refused seq {} ({}) for good: {} (reason 0x{}); the disk is "
                    + "unavailable, so it is dropped, not dead-lettered", refusal.seq(), buffered.topic(),
                    refusal.reason(), Integer.toHexString(refusal.reasonCode()));
        } else if (!pendingDeletes.contains(refusal.seq())) {
            pendingRejects.put(refusal.seq(), refusal);
        }
    }

    void saveCheckpoint(String name, Checkpoint checkpoint) {
        pendingCheckpoints.put(name, checkpoint);
    }

    // ------------------------------------------------------------------ the transaction

    /**
     * Writes what the batch recorded, with {@code fresh} (entries {@link #admit admitted} at {@code now}), in one
     * transaction. While the disk is degraded and its retry is not due, only the deletes and checkpoints are tried.
     * Entries the disk did not take go to the memory buffer, and their sequence numbers are reserved on disk.
     */
    Outcome commit(List<OutboxEntry> fresh, Instant now) {
        boolean durable;
        if (!isDegraded() || !now.isBefore(nextDiskRetry)) {
            durable = writeToDisk(fresh, now);
        } else {
            // between retries: acknowledged deletes and checkpoints may still fit (deletes free pages)
            writeWithoutInserts(now);
            durable = false;
        }
        if (!durable) {
            for (OutboxEntry e : fresh) {
                buffer(e);
            }
            reserveSequenceNumbers();
        }
        return new Outcome(durable, pendingCheckpoints.isEmpty());
    }

    /**
     * One transaction: pending deletes, pending checkpoints, buffered entries (when recovering) and the fresh
     * entries, the overflow policy, the counters. Returns false (and leaves the outbox degraded) if the disk
     * refused it; the deletes and checkpoints are then retried alone, as they may still fit.
     */
    private boolean writeToDisk(List<OutboxEntry> fresh, Instant now) {
        boolean recovering = isDegraded();
        List<OutboxEntry> toInsert = fresh;
        if (recovering && !memory.isEmpty()) {
            toInsert = new ArrayList<>(memory.all());
            toInsert.addAll(fresh);
        }
        OutboxTransaction tx;
        try {
            tx = beginWithPending(now);
            tx.insert(toInsert);
            tx.enforceBounds();
            sql.setCounter(NEXT_SEQ, nextSeq);
            writeCounters(tx.changes());
            sql.exec("COMMIT");
        } catch (SQLException e) {
            sql.recover();
            log.debug("outbox write of {} entries refused: {}", toInsert.size(), OutboxStatements.describe(e));
            if (!isDegraded()) {
                health = new StorageHealth.Degraded(OutboxStatements.describe(e), now);
                log.error("outbox cannot write to {} ({}): buffering up to {} entries in memory and retrying "
                        + "every {}", config.file(), OutboxStatements.describe(e), config.memoryEntries(),
                        config.diskRetryInterval());
            }
            nextDiskRetry = now.plus(config.diskRetryInterval());
            writeWithoutInserts(now);
            return false;
        }
        apply(tx.changes());
        persistedNextSeq = nextSeq;
        if (recovering) {
            memory.clear();
            StorageHealth.Degraded was = (StorageHealth.Degraded) health;
            health = new StorageHealth.Healthy();
            log.warn("outbox disk writable again after {} ({}); buffered entries written back",
                    Duration.between(was.since(), now), was.reason());
        }
        return true;
    }

    private void writeWithoutInserts(Instant now) {
        if (pendingDeletes.isEmpty() && pendingRejects.isEmpty() && pendingCheckpoints.isEmpty()
                && rejectedSinceCommit == 0 && !bufferDropsUnsaved) {
            return;
        }
        try {
            OutboxTransaction tx = beginWithPending(now);
            writeCounters(tx.changes());
            sql.exec("COMMIT");
            apply(tx.changes());
        } catch (SQLException e) {
            sql.recover();
            log.debug("outbox deletes/checkpoints still refused: {}", OutboxStatements.describe(e));
        }
    }

    /** Begins a transaction and writes what waits: acknowledged deletes, refusals to dead_letter, checkpoints. */
    private OutboxTransaction beginWithPending(Instant now) throws SQLException {
        sql.exec("BEGIN IMMEDIATE");
        OutboxTransaction tx = new OutboxTransaction(sql, config, diskCount, diskBytes);
        tx.delete(pendingDeletes);
        tx.deadLetter(pendingRejects.values(), now);
        tx.saveCheckpoints(pendingCheckpoints);
        return tx;
    }

    /** The persisted counters the transaction changes, at their values after it; in memory they change on COMMIT. */
    private void writeCounters(OutboxTransaction.Changes changes) throws SQLException {
        // also when only the memory buffer dropped entries: they are counted in memory as they go
        if (changes.droppedTelemetry() > 0 || bufferDropsUnsaved) {
            sql.setCounter(DROPPED_TELEMETRY, droppedTelemetry + changes.droppedTelemetry());
        }
        if (changes.droppedEvents() > 0 || bufferDropsUnsaved) {
            sql.setCounter(DROPPED_EVENTS, droppedEvents + changes.droppedEvents());
        }
        // also when only refusals that never reached the disk were counted since the last commit
        if (!changes.deadLettered().isEmpty() || rejectedSinceCommit > 0) {
            sql.setCounter(REJECTED, rejected + changes.deadLettered().size());
        }
    }

    /** After COMMIT: the counters take the transaction's changes, and everything that waited is written. */
    private void apply(OutboxTransaction.Changes changes) {
        diskCount += changes.entries();
        diskBytes += changes.bytes();
        droppedTelemetry += changes.droppedTelemetry();
        droppedEvents += changes.droppedEvents();
        for (Reject r : changes.deadLettered()) {
            log.warn("outbox: broker refused seq {} for good: {} (reason 0x{}); moved to dead_letter",
                    r.seq(), r.reason(), Integer.toHexString(r.reasonCode()));
        }
        rejected += changes.deadLettered().size();
        rejectedSinceCommit = 0;
        bufferDropsUnsaved = false;
        pendingDeletes.clear();
        pendingRejects.clear();
        pendingCheckpoints.clear();
    }

    /**
     * While degraded, make sure a restart cannot hand out the sequence numbers of buffered entries again: the
     * persisted counter is moved ahead by the memory buffer's capacity (an in-place update, which often still
     * succeeds on a full disk). If even that fails, a crash now could reuse them; say so once.
     */
    private void reserveSequenceNumbers() {
        if (nextSeq <= persistedNextSeq) {
            return;
        }
        long reserve = nextSeq + config.memoryEntries();
        try {
            sql.exec("BEGIN IMMEDIATE");
            sql.setCounter(NEXT_SEQ, reserve);
            sql.exec("COMMIT");
            persistedNextSeq = reserve;
        } catch (SQLException e) {
            sql.recover();
            if (!reservationWarned) {
                reservationWarned = true;
                log.error("outbox cannot persist its sequence counter ({}): if the agent crashes before the disk "
                        + "recovers, the sequence numbers of buffered entries from {} on may be reused",
                        OutboxStatements.describe(e), persistedNextSeq);
            }
        }
    }

    /** Adds to the memory buffer, applying the overflow policy within the buffer's bounds. */
    private void buffer(OutboxEntry entry) {
        for (OutboxEntry victim : memory.add(entry)) {
            bufferDropsUnsaved = true;
            if (victim.kind() == EntryKind.TELEMETRY) {
                droppedTelemetry++;
            } else {
                droppedEvents++;
                log.warn("outbox memory buffer full of events: dropped event seq {} ({})", victim.seq(), victim.topic());
            }
        }
    }

    // ------------------------------------------------------------------ reading

    /** Up to {@code limit} entries after {@code afterSeq}, in order: disk first, then the memory buffer. */
    List<OutboxEntry> read(long afterSeq, int limit) throws SQLException {
        List<OutboxEntry> out = new ArrayList<>(Math.min(limit, 1024));
        long cursor = afterSeq;
        // disk first (all lower seqs than the buffer); skip deletes not yet committed
        while (out.size() < limit) {
            int want = limit - out.size() + pendingDeletes.size() + pendingRejects.size();
            List<OutboxEntry> rows = sql.peekDisk(cursor, want);
            for (OutboxEntry row : rows) {
                if (out.size() >= limit) {
                    break;
                }
                cursor = row.seq();
                if (!pendingDeletes.contains(row.seq()) && !pendingRejects.containsKey(row.seq())) {
                    out.add(row);
                }
            }
            if (rows.size() < want) {
                break;
            }
        }
        Iterator<OutboxEntry> buffered = memory.after(afterSeq).iterator();
        while (out.size() < limit && buffered.hasNext()) {
            out.add(buffered.next());
        }
        return out;
    }

    boolean isDegraded() {
        return health instanceof StorageHealth.Degraded;
    }

    /** A snapshot: pending deletes and refusals no longer count as undelivered. */
    OutboxStatus status() {
        return new OutboxStatus(diskCount - pendingDeletesOnDisk() + memory.size(), diskBytes + memory.bytes(),
                memory.size(), droppedTelemetry, droppedEvents, nextSeq, health, rejected);
    }

    private long pendingDeletesOnDisk() {
        return Math.min(pendingDeletes.size() + pendingRejects.size(), diskCount);
    }

    /** At close: entries still buffered in memory never reach the disk; says so. */
    void logLostBuffer() {
        if (!memory.isEmpty()) {
            log.error("outbox closed while the disk was unavailable: {} buffered entries (seq {}..{}) are lost",
                    memory.size(), memory.firstSeq(), memory.lastSeq());
        }
    }
}
