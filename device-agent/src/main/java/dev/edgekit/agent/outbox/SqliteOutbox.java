package dev.edgekit.agent.outbox;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import dev.edgekit.agent.outbox.WriterOp.Ack;
import dev.edgekit.agent.outbox.WriterOp.Append;
import dev.edgekit.agent.outbox.WriterOp.Barrier;
import dev.edgekit.agent.outbox.WriterOp.Close;
import dev.edgekit.agent.outbox.WriterOp.Direct;
import dev.edgekit.agent.outbox.WriterOp.Peek;
import dev.edgekit.agent.outbox.WriterOp.Reject;
import dev.edgekit.agent.outbox.WriterOp.Save;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SQLite outbox. One writer thread owns the only connection; callers enqueue operations on a bounded queue
 * and the writer commits everything it finds queued in one transaction (group commit), then completes the
 * callers' futures. Nothing becomes visible to {@link #peek} before its transaction committed.
 */
final class SqliteOutbox implements Outbox, CheckpointStore {
    private static final Logger log = LoggerFactory.getLogger(Outbox.class);
    private static final String NEXT_SEQ = "next_seq";
    private static final String DROPPED_TELEMETRY = "dropped_telemetry";
    private static final String DROPPED_EVENTS = "dropped_events";
    private static final String REJECTED = "rejected";

    private final OutboxConfig config;
    private final InstantSource clock;
    private final BlockingQueue<WriterOp> queue;
    private final Thread writer;
    private final List<Runnable> appendListeners = new CopyOnWriteArrayList<>();
    private final Map<String, Checkpoint> checkpoints = new ConcurrentHashMap<>();
    private volatile boolean closing;
    private volatile OutboxStatus status;

    // ---- confined to the writer thread (and to open(), before it starts) ----
    private final Connection db;
    /** Held around every use of the connection: a shared file's, or this outbox's own (then never contended). */
    private final ReentrantLock dbLock;
    /** This outbox's rows in a shared file, or null for a file of its own. */
    private final OutboxConfig.Partition partition;
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

    /** The writer thread of a single outbox: a platform daemon thread of its own. */
    static final ThreadFactory OWN_WRITER_THREAD =
            Thread.ofPlatform().name("edgekit-outbox-writer").daemon(true).factory();

    private SqliteOutbox(OutboxConfig config, Connection db, ReentrantLock dbLock, ThreadFactory writerThreads)
            throws SQLException {
        this.config = config;
        this.clock = config.clock();
        this.db = db;
        this.dbLock = dbLock;
        this.partition = config.partition();
        this.memory = new MemoryBuffer(config.memoryEntries(), config.memoryBytes());
        // linked, not an array: an outbox's queue is nearly always empty, and 1,000 simulated agents each holding an
        // array of queueCapacity slots was 32 MB of heap
        this.queue = new LinkedBlockingQueue<>(config.queueCapacity());
        this.sql = new OutboxStatements(db, partition == null ? null : partition.device());
        load();
        publishStatus();
        writer = writerThreads.newThread(this::runWriter);
    }

    // ------------------------------------------------------------------ opening

    /** Opens the outbox with its writer on a thread from {@link OutboxConfig#writerThreads()}. */
    static SqliteOutbox open(OutboxConfig config) {
        return open(config, config.writerThreads());
    }

    /**
     * Opens the outbox with its writer loop on a thread from {@code writerThreads} (the loop runs until {@link #close};
     * it owns the connection, so the factory must give a fresh thread per outbox).
     */
    static SqliteOutbox open(OutboxConfig config, ThreadFactory writerThreads) {
        if (config.partition() != null) {
            return openPartition(config, writerThreads);
        }
        Path file = config.file().toAbsolutePath();
        try {
            Connection db = OutboxSchema.openOrStartAfresh(file, config.durability(), config.cacheKiB(), false,
                    config.clock(), "outbox database");
            SqliteOutbox outbox;
            try {
                outbox = new SqliteOutbox(config, db, new ReentrantLock(), writerThreads);
            } catch (SQLException | RuntimeException e) {
                db.close();
                throw e;
            }
            outbox.writer.start();
            log.info("outbox {} open: {} undelivered, next seq {}, synchronous={}", file,
                    outbox.status.depth(), outbox.status.nextSeq(), config.durability());
            return outbox;
        } catch (SQLException | IOException e) {
            throw new OutboxException("cannot open outbox " + file + ": " + e.getMessage(), e);
        }
    }

    /** Opens a device's partition of a shared file (already open and checked). */
    private static SqliteOutbox openPartition(OutboxConfig config, ThreadFactory writerThreads) {
        SharedOutboxFile shared = config.partition().file();
        String device = config.partition().device();
        shared.claim(device);
        shared.lock().lock();
        try {
            SqliteOutbox outbox = new SqliteOutbox(config, shared.connection(), shared.lock(), writerThreads);
            outbox.writer.start();
            log.debug("outbox of {} open in {}: {} undelivered, next seq {}", device, shared.file(),
                    outbox.status.depth(), outbox.status.nextSeq());
            return outbox;
        } catch (SQLException | RuntimeException e) {
            shared.release(device);
            throw new OutboxException("cannot open the outbox of " + device + " in " + shared.file() + ": "
                    + e.getMessage(), e);
        } finally {
            shared.lock().unlock();
        }
    }

    private void load() throws SQLException {
        Map<String, Long> counters = sql.counters();
        long[] totals = sql.diskTotals();
        diskCount = totals[0];
        diskBytes = totals[1];
        long maxSeq = totals[2];
        checkpoints.putAll(sql.checkpoints());
        Long stored = counters.get(NEXT_SEQ);
        if (stored == null) {
            // A new database. Start above any sequence number an earlier, lost database of this device can
            // have used (a corrupt file moved aside, a deleted file): microseconds since the epoch, which a
            // device never outruns. Consumers see one gap instead of dropping new entries as duplicates.
            long floor = Math.max(1, Math.multiplyExact(clock.millis(), 1000L));
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
        nextSeq = Math.max(stored, maxSeq + 1);
        persistedNextSeq = stored;
        droppedTelemetry = counters.getOrDefault(DROPPED_TELEMETRY, 0L);
        droppedEvents = counters.getOrDefault(DROPPED_EVENTS, 0L);
        rejected = counters.getOrDefault(REJECTED, 0L);
    }

    // ------------------------------------------------------------------ public API

    @Override
    public Receipt append(NewEntry entry) {
        return await(appendAsync(entry));
    }

    @Override
    public CompletableFuture<Receipt> appendAsync(NewEntry entry) {
        Append op = new Append(entry, new CompletableFuture<>());
        enqueue(op);
        return op.done();
    }

    @Override
    public List<OutboxEntry> peek(long afterSeq, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return await(peekAsync(afterSeq, limit));
    }

    @Override
    public CompletableFuture<List<OutboxEntry>> peekAsync(long afterSeq, int limit) {
        if (limit <= 0) {
            return CompletableFuture.completedFuture(List.of());
        }
        Peek op = new Peek(afterSeq, limit, new CompletableFuture<>());
        enqueue(op);
        return op.done();
    }

    @Override
    public void acknowledge(long seq) {
        enqueue(new Ack(seq));
    }

    @Override
    public void reject(long seq, int reasonCode, String reason) {
        enqueue(new Reject(seq, reasonCode, reason == null ? "refused" : reason));
    }

    @Override
    public void flush() {
        Barrier op = new Barrier(new CompletableFuture<>());
        enqueue(op);
        await(op.done());
    }

    @Override
    public OutboxStatus status() {
        return status;
    }

    @Override
    public CheckpointStore checkpoints() {
        return this;
    }

    @Override
    public void onAppended(Runnable listener) {
        appendListeners.add(listener);
    }

    @Override
    public Optional<Checkpoint> load(String name) {
        return Optional.ofNullable(checkpoints.get(name));
    }

    @Override
    public Map<String, Checkpoint> loadAll() {
        return Map.copyOf(checkpoints);
    }

    @Override
    public CompletableFuture<Boolean> save(String name, long number, String text) {
        Checkpoint checkpoint = new Checkpoint(number, text, clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        checkpoints.put(name, checkpoint);
        Save op = new Save(name, checkpoint, new CompletableFuture<>());
        enqueue(op);
        return op.done();
    }

    /** Test seam: runs {@code action} on the writer's connection between batches (e.g. a max_page_count pragma). */
    void onConnection(SqlAction action) {
        Direct op = new Direct(action, new CompletableFuture<>());
        enqueue(op);
        await(op.done());
    }

    @FunctionalInterface
    interface SqlAction {
        void run(Connection connection) throws SQLException;
    }

    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        try {
            queue.put(new Close());
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void enqueue(WriterOp op) {
        if (closing) {
            throw new IllegalStateException("outbox is closed");
        }
        try {
            queue.put(op);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OutboxException("interrupted while waiting for room in the outbox queue", e);
        }
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OutboxException("interrupted while waiting for the outbox", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new OutboxException(cause.getMessage(), cause);
        }
    }

    // ------------------------------------------------------------------ the writer

    private void runWriter() {
        List<WriterOp> batch = new ArrayList<>(config.maxBatch());
        boolean closeSeen = false;
        try {
            while (!closeSeen) {
                // a timed wait only while the disk is to be retried: on a virtual thread each one also schedules
                // (and cancels) a wake-up on the JDK's shared timer, thousands a second in a simulated fleet
                WriterOp first = health instanceof StorageHealth.Degraded
                        ? queue.poll(config.diskRetryInterval().toMillis(), TimeUnit.MILLISECONDS) : queue.take();
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, config.maxBatch() - 1);
                }
                closeSeen = batch.stream().anyMatch(op -> op instanceof Close);
                if (first != null || health instanceof StorageHealth.Degraded) {
                    process(batch);
                }
                batch.clear();
            }
            // late arrivals raced with close(): commit them too
            queue.drainTo(batch);
            if (!batch.isEmpty()) {
                process(batch);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            log.error("outbox writer failed; the outbox stops accepting entries", e);
            closing = true;
            List<WriterOp> rest = new ArrayList<>(batch);
            queue.drainTo(rest);
            rest.forEach(op -> WriterOp.fail(op, e));
        } finally {
            closeDatabase();
        }
    }

    private void closeDatabase() {
        if (!memory.isEmpty()) {
            log.error("outbox closed while the disk was unavailable: {} buffered entries (seq {}..{}) are lost",
                    memory.size(), memory.firstSeq(), memory.lastSeq());
        }
        if (partition != null) { // the shared file stays open for the other devices
            dbLock.lock();
            try {
                sql.closeStatements();
            } finally {
                dbLock.unlock();
                partition.file().release(partition.device());
            }
            return;
        }
        try {
            db.close();
        } catch (SQLException e) {
            log.warn("closing outbox database: {}", e.getMessage());
        }
    }

    private void process(List<WriterOp> batch) {
        Instant now = clock.instant();
        List<Append> appends = new ArrayList<>();
        List<OutboxEntry> fresh = new ArrayList<>();
        for (WriterOp op : batch) {
            switch (op) {
                case Append a -> {
                    NewEntry e = a.entry();
                    byte[] payload;
                    try {
                        payload = e.payload().apply(nextSeq);
                        if (payload == null) {
                            throw new NullPointerException("payload encoder returned null for " + e.topic());
                        }
                        long size = OutboxEntry.sizeOf(e.topic(), payload);
                        if (size > config.maxMessageBytes()) {
                            rejected++;
                            rejectedSinceCommit++;
                            log.warn("outbox refused an entry of {} bytes for {}: larger than outbox.maxMessageBytes "
                                    + "({}), the broker would refuse it", size, e.topic(), config.maxMessageBytes());
                            throw new OutboxException("entry of " + size + " bytes for " + e.topic()
                                    + " exceeds outbox.maxMessageBytes (" + config.maxMessageBytes()
                                    + "): the broker would refuse it", null);
                        }
                    } catch (RuntimeException ex) {
                        a.done().completeExceptionally(ex);
                        continue;
                    }
                    fresh.add(new OutboxEntry(nextSeq++, e.kind(), e.qos(), e.topic(), payload, now));
                    appends.add(a);
                }
                case Ack k -> {
                    OutboxEntry buffered = memory.remove(k.seq());
                    if (buffered == null) {
                        pendingDeletes.add(k.seq());
                    }
                }
                case Reject r -> {
                    OutboxEntry buffered = memory.remove(r.seq());
                    if (buffered != null) { // cannot reach the disk now: dropped, but counted and logged
                        rejected++;
                        rejectedSinceCommit++;
                        log.warn("outbox: broker refused seq {} ({}) for good: {} (reason 0x{}); the disk is "
                                + "unavailable, so it is dropped, not dead-lettered", r.seq(), buffered.topic(),
                                r.reason(), Integer.toHexString(r.reasonCode()));
                    } else if (!pendingDeletes.contains(r.seq())) {
                        pendingRejects.put(r.seq(), r);
                    }
                }
                case Save s -> pendingCheckpoints.put(s.name(), s.checkpoint());
                case Peek ignored -> { }
                case Barrier ignored -> { }
                case Direct ignored -> { }
                case Close ignored -> { }
            }
        }

        boolean degraded = health instanceof StorageHealth.Degraded;
        boolean durable;
        dbLock.lock();
        try {
            if (!degraded || !now.isBefore(nextDiskRetry)) {
                durable = writeToDisk(fresh, now);
            } else {
                // between retries: acknowledged deletes and checkpoints may still fit (deletes free pages)
                writeWithoutInserts();
                durable = false;
            }
            if (!durable) {
                for (OutboxEntry e : fresh) {
                    buffer(e);
                }
                reserveSequenceNumbers();
            }
        } finally {
            dbLock.unlock();
        }
        publishStatus(); // before any caller is released, so a caller sees its own effects in status()
        if (!fresh.isEmpty()) { // before the appenders are released: a drainer is awake when append() returns
            for (Runnable listener : appendListeners) {
                try {
                    listener.run();
                } catch (RuntimeException e) {
                    log.warn("outbox append listener failed", e);
                }
            }
        }
        boolean saved = pendingCheckpoints.isEmpty();
        for (int i = 0; i < appends.size(); i++) {
            appends.get(i).done().complete(new Receipt(fresh.get(i).seq(), durable));
        }
        for (WriterOp op : batch) {
            switch (op) {
                case Peek p -> {
                    List<OutboxEntry> entries = null;
                    dbLock.lock();
                    try {
                        entries = read(p.afterSeq(), p.limit());
                    } catch (SQLException e) {
                        sql.recover();
                        p.done().completeExceptionally(new OutboxException("peek failed: " + e.getMessage(), e));
                    } finally {
                        dbLock.unlock();
                    }
                    if (entries != null) { // completed outside the lock: the caller goes on from here
                        p.done().complete(entries);
                    }
                }
                case Save s -> s.done().complete(saved);
                case Barrier b -> b.done().complete(null);
                case Direct d -> {
                    dbLock.lock();
                    try {
                        d.action().run(db);
                        d.done().complete(null);
                    } catch (SQLException | RuntimeException e) {
                        d.done().completeExceptionally(e);
                    } finally {
                        dbLock.unlock();
                    }
                }
                case Append ignored -> { }
                case Ack ignored -> { }
                case Reject ignored -> { }
                case Close ignored -> { }
            }
        }
    }

    /**
     * One transaction: pending deletes, pending checkpoints, buffered entries (when recovering) and the fresh
     * entries, the overflow policy, the counters. Returns false (and leaves the outbox degraded) if the disk
     * refused it; the deletes and checkpoints are then retried alone, as they may still fit.
     */
    private boolean writeToDisk(List<OutboxEntry> fresh, Instant now) {
        boolean recovering = health instanceof StorageHealth.Degraded;
        List<OutboxEntry> toInsert = fresh;
        if (recovering && !memory.isEmpty()) {
            toInsert = new ArrayList<>(memory.all());
            toInsert.addAll(fresh);
        }
        Tx tx = new Tx();
        try {
            sql.exec("BEGIN IMMEDIATE");
            tx.deletes();
            tx.checkpoints();
            tx.insert(toInsert);
            tx.enforceBounds();
            sql.setCounter(NEXT_SEQ, nextSeq);
            if (tx.droppedT > 0) {
                sql.setCounter(DROPPED_TELEMETRY, droppedTelemetry + tx.droppedT);
            }
            if (tx.droppedE > 0) {
                sql.setCounter(DROPPED_EVENTS, droppedEvents + tx.droppedE);
            }
            tx.rejectedCounter();
            sql.exec("COMMIT");
        } catch (SQLException e) {
            sql.recover();
            log.debug("outbox write of {} entries refused: {}", toInsert.size(), OutboxStatements.describe(e));
            if (!(health instanceof StorageHealth.Degraded)) {
                health = new StorageHealth.Degraded(OutboxStatements.describe(e), now);
                log.error("outbox cannot write to {} ({}): buffering up to {} entries in memory and retrying "
                        + "every {}", config.file(), OutboxStatements.describe(e), config.memoryEntries(),
                        config.diskRetryInterval());
            }
            nextDiskRetry = now.plus(config.diskRetryInterval());
            writeWithoutInserts();
            return false;
        }
        tx.apply();
        persistedNextSeq = nextSeq;
        if (recovering) {
            memory.clear();
            StorageHealth.Degraded was = (StorageHealth.Degraded) health;
            health = new StorageHealth.Healthy();
            log.warn("outbox disk writable again after {} ({}); buffered entries written back",
                    java.time.Duration.between(was.since(), now), was.reason());
        }
        return true;
    }

    private void writeWithoutInserts() {
        if (pendingDeletes.isEmpty() && pendingRejects.isEmpty() && pendingCheckpoints.isEmpty()
                && rejectedSinceCommit == 0) {
            return;
        }
        Tx tx = new Tx();
        try {
            sql.exec("BEGIN IMMEDIATE");
            tx.deletes();
            tx.checkpoints();
            tx.rejectedCounter();
            sql.exec("COMMIT");
            tx.apply();
        } catch (SQLException e) {
            sql.recover();
            log.debug("outbox deletes/checkpoints still refused: {}", OutboxStatements.describe(e));
        }
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
            if (victim.kind() == EntryKind.TELEMETRY) {
                droppedTelemetry++;
            } else {
                droppedEvents++;
                log.warn("outbox memory buffer full of events: dropped event seq {} ({})", victim.seq(), victim.topic());
            }
        }
    }

    private List<OutboxEntry> read(long afterSeq, int limit) throws SQLException {
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

    /** The writes of one transaction; counters change in memory only after COMMIT ({@link #apply}). */
    private final class Tx {
        long deltaCount;
        long deltaBytes;
        long droppedT;
        long droppedE;
        long rejectedT;
        final List<Reject> moved = new ArrayList<>();
        boolean deletedAll;
        boolean savedAll;

        void deletes() throws SQLException {
            for (long seq : pendingDeletes) {
                long size = sql.sizeOf(seq);
                if (size >= 0) {
                    sql.delete(seq);
                    deltaCount--;
                    deltaBytes -= size;
                }
            }
            long now = clock.millis();
            for (Reject r : pendingRejects.values()) {
                long size = sql.sizeOf(r.seq());
                if (size < 0) {
                    continue; // already gone (acknowledged by an earlier attempt, or dropped)
                }
                sql.deadLetter(r.seq(), r.reasonCode(), r.reason(), now);
                sql.delete(r.seq());
                deltaCount--;
                deltaBytes -= size;
                rejectedT++;
                moved.add(r);
            }
            if (rejectedT > 0) {
                sql.trimDeadLetters(config.maxDeadLetters());
            }
            deletedAll = true;
        }

        /** Persists the rejected counter when anything was refused since the last commit. */
        void rejectedCounter() throws SQLException {
            if (rejectedT > 0 || rejectedSinceCommit > 0) {
                sql.setCounter(REJECTED, rejected + rejectedT);
            }
        }

        void checkpoints() throws SQLException {
            for (Map.Entry<String, Checkpoint> e : pendingCheckpoints.entrySet()) {
                sql.saveCheckpoint(e.getKey(), e.getValue());
            }
            savedAll = true;
        }

        void insert(List<OutboxEntry> entries) throws SQLException {
            for (OutboxEntry e : entries) {
                sql.insert(e);
                deltaCount++;
                deltaBytes += e.size();
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
                        deltaCount--;
                        deltaBytes -= v[1];
                        if (kind == EntryKind.TELEMETRY) {
                            droppedT++;
                        } else {
                            droppedE++;
                        }
                    }
                }
            }
            if (droppedE > 0) {
                log.warn("outbox full of events: dropped the {} oldest events (no telemetry left to drop)", droppedE);
            }
        }

        private boolean over() {
            return diskCount + deltaCount > config.maxEntries() || diskBytes + deltaBytes > config.maxBytes();
        }

        void apply() {
            diskCount += deltaCount;
            diskBytes += deltaBytes;
            droppedTelemetry += droppedT;
            droppedEvents += droppedE;
            if (rejectedT > 0) {
                for (Reject r : moved) {
                    log.warn("outbox: broker refused seq {} for good: {} (reason 0x{}); moved to dead_letter",
                            r.seq(), r.reason(), Integer.toHexString(r.reasonCode()));
                }
            }
            rejected += rejectedT;
            rejectedSinceCommit = 0;
            if (deletedAll) {
                pendingDeletes.clear();
                pendingRejects.clear();
            }
            if (savedAll) {
                pendingCheckpoints.clear();
            }
        }
    }

    private void publishStatus() {
        status = new OutboxStatus(diskCount - pendingDeletesOnDisk() + memory.size(), diskBytes + memory.bytes(),
                memory.size(), droppedTelemetry, droppedEvents, nextSeq, health, rejected);
    }

    private long pendingDeletesOnDisk() {
        return Math.min(pendingDeletes.size() + pendingRejects.size(), diskCount);
    }

    /** Used by tests and by the degraded-mode completion: unwraps a CompletionException. */
    static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }
}
