package dev.edgekit.agent.outbox;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One outbox database for many agents in one JVM, as in a simulated fleet: each device's entries, counters,
 * checkpoints and dead letters are its partition of the same tables, keyed by the device id. An outbox opened on a
 * partition ({@link OutboxConfig.Builder#partitionOf}) keeps everything a board's own file gives, its own sequence
 * numbers, bounds, durability and writer, but shares one SQLite connection: a connection costs ~150–200 KB of native
 * memory (lookaside, page cache, schema, the WAL index), which is 200 MB for a thousand agents.
 *
 * <p>The writers of the partitions take turns on the connection ({@link #lock()}): each transaction is one
 * partition's, so a failure in one rolls back nothing of another. A device's partition is open in one outbox at a
 * time. A board's agent keeps its own file; a shared file and a board's file never open as each other.
 */
public final class SharedOutboxFile implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Outbox.class);

    private final Path file;
    private final Durability durability;
    private final Connection db;
    private final ReentrantLock lock = new ReentrantLock();
    private final Set<String> open = new HashSet<>();
    private boolean closed;

    private SharedOutboxFile(Path file, Durability durability, Connection db) {
        this.file = file;
        this.durability = durability;
        this.db = db;
    }

    /**
     * Opens (or creates) the shared file. A corrupt file is moved aside, as a board's would be, and a fresh one made.
     *
     * @param cacheKiB SQLite's page cache for the whole file
     * @param clock names a corrupt file moved aside
     */
    public static SharedOutboxFile open(Path file, Durability durability, int cacheKiB, InstantSource clock) {
        Objects.requireNonNull(durability, "durability");
        Path absolute = file.toAbsolutePath();
        try {
            return new SharedOutboxFile(absolute, durability,
                    OutboxSchema.openOrStartAfresh(absolute, durability, cacheKiB, true, clock, "shared outbox"));
        } catch (SQLException | IOException e) {
            throw new OutboxException("cannot open shared outbox " + absolute + ": " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    public Durability durability() {
        return durability;
    }

    /** Taken by a partition's writer around everything it does on the connection. */
    ReentrantLock lock() {
        return lock;
    }

    Connection connection() {
        return db;
    }

    /** Claims {@code device}'s partition for one outbox; refused while another outbox has it open. */
    synchronized void claim(String device) {
        if (closed) {
            throw new OutboxException("shared outbox " + file + " is closed", null);
        }
        if (!open.add(device)) {
            throw new OutboxException("the outbox of " + device + " is already open in " + file, null);
        }
    }

    synchronized void release(String device) {
        open.remove(device);
    }

    /** Closes the connection; the partitions still open can no longer write (close their outboxes first). */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (!open.isEmpty()) {
                log.warn("shared outbox {} closed with {} partitions still open", file, open.size());
            }
        }
        lock.lock();
        try {
            db.close();
        } catch (SQLException e) {
            log.warn("closing shared outbox {}: {}", file, e.getMessage());
        } finally {
            lock.unlock();
        }
    }
}
