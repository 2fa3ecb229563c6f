package dev.edgekit.agent.outbox;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 *
 * <p>This class is the public API, the queue and the writer's loop: it hands each batch's operations to the
 * {@link OutboxLedger} in queue order, has it commit them under the connection's lock, then releases the callers. What
 * a transaction writes and changes (counters, pending deletes, the overflow policy, the memory fallback) is the
 * ledger's.
 */
final class SqliteOutbox implements Outbox, CheckpointStore {
    private static final Logger log = LoggerFactory.getLogger(Outbox.class);

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
    /** The counters, pending work, disk health and memory fallback that the writer's transactions change. */
    private final OutboxLedger ledger;

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
        // linked, not an array: an outbox's queue is nearly always empty, and 1,000 simulated agents each holding an
        // array of queueCapacity slots was 32 MB of heap
        this.queue = new LinkedBlockingQueue<>(config.queueCapacity());
        this.sql = new OutboxStatements(db, partition == null ? null : partition.device());
        checkpoints.putAll(sql.checkpoints());
        this.ledger = OutboxLedger.load(config, sql);
        status = ledger.status();
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
                WriterOp first = ledger.isDegraded()
                        ? queue.poll(config.diskRetryInterval().toMillis(), TimeUnit.MILLISECONDS) : queue.take();
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, config.maxBatch() - 1);
                }
                closeSeen = batch.stream().anyMatch(op -> op instanceof Close);
                if (first != null || ledger.isDegraded()) {
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
        ledger.logLostBuffer();
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
                    try {
                        fresh.add(ledger.admit(a.entry(), now));
                        appends.add(a);
                    } catch (RuntimeException refused) { // fails this append alone
                        a.done().completeExceptionally(refused);
                    }
                }
                case Ack k -> ledger.acknowledge(k.seq());
                case Reject r -> ledger.reject(r);
                case Save s -> ledger.saveCheckpoint(s.name(), s.checkpoint());
                case Peek ignored -> { }
                case Barrier ignored -> { }
                case Direct ignored -> { }
                case Close ignored -> { }
            }
        }

        OutboxLedger.Outcome outcome;
        dbLock.lock();
        try {
            outcome = ledger.commit(fresh, now);
        } finally {
            dbLock.unlock();
        }
        status = ledger.status(); // before any caller is released, so a caller sees its own effects in status()
        if (!fresh.isEmpty()) { // before the appenders are released: a drainer is awake when append() returns
            for (Runnable listener : appendListeners) {
                try {
                    listener.run();
                } catch (RuntimeException e) {
                    log.warn("outbox append listener failed", e);
                }
            }
        }
        for (int i = 0; i < appends.size(); i++) {
            appends.get(i).done().complete(new Receipt(fresh.get(i).seq(), outcome.durable()));
        }
        for (WriterOp op : batch) {
            switch (op) {
                case Peek p -> {
                    List<OutboxEntry> entries = null;
                    dbLock.lock();
                    try {
                        entries = ledger.read(p.afterSeq(), p.limit());
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
                case Save s -> s.done().complete(outcome.checkpointsSaved());
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

    /** Used by tests and by the degraded-mode completion: unwraps a CompletionException. */
    static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }
}
