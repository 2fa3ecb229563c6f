package dev.edgekit.agent.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteException;

/**
 * The outbox's SQL: every statement its writer runs, prepared once on the writer's connection, and the recovery after
 * a failed one. Used by one writer at a time, like the connection. sqlite-jdbc closes a prepared statement whose
 * execution failed (e.g. SQLITE_FULL), so {@link #recover()} rolls back and prepares them all again.
 *
 * <p>On a board's own file the tables hold one device. In a {@link SharedOutboxFile} every table has a {@code device}
 * column and each statement here is confined to this outbox's device: it is the first parameter of every
 * {@code WHERE} and the first column of every insert.
 */
final class OutboxStatements {
    private static final Logger log = LoggerFactory.getLogger(Outbox.class);

    private final Connection db;
    /** The partition in a shared file; null on a board's own file. */
    private final String device;
    private final String column;
    private final String value;
    private final String where;
    private final String only;
    private PreparedStatement insert;
    private PreparedStatement sizeOf;
    private PreparedStatement delete;
    private PreparedStatement setCounter;
    private PreparedStatement saveCheckpoint;
    private PreparedStatement peekDisk;
    private PreparedStatement oldestOfKind;
    private PreparedStatement deadLetter;
    private PreparedStatement trimDeadLetters;
    private Statement plain;

    /** The statements of a board's own file. */
    OutboxStatements(Connection db) throws SQLException {
        this(db, null);
    }

    /** The statements of {@code device}'s partition of a shared file, or of a board's own file when null. */
    OutboxStatements(Connection db, String device) throws SQLException {
        this.db = db;
        this.device = device;
        boolean partitioned = device != null;
        column = partitioned ? "device, " : "";
        value = partitioned ? "?, " : "";
        where = partitioned ? "WHERE device = ? AND " : "WHERE ";
        only = partitioned ? " WHERE device = ?" : "";
        prepare();
    }

    private void prepare() throws SQLException {
        insert = db.prepareStatement("INSERT INTO outbox(" + column + "seq, kind, qos, topic, payload, created_at) "
                + "VALUES (" + value + "?, ?, ?, ?, ?, ?)");
        sizeOf = db.prepareStatement(
                "SELECT length(payload) + length(CAST(topic AS BLOB)) FROM outbox " + where + "seq = ?");
        delete = db.prepareStatement("DELETE FROM outbox " + where + "seq = ?");
        setCounter = db.prepareStatement("INSERT INTO counters(" + column + "name, value) VALUES (" + value + "?, ?) "
                + "ON CONFLICT(" + column + "name) DO UPDATE SET value = excluded.value");
        saveCheckpoint = db.prepareStatement("INSERT INTO checkpoint(" + column + "name, number, text, saved_at) "
                + "VALUES (" + value + "?, ?, ?, ?) ON CONFLICT(" + column + "name) DO UPDATE SET "
                + "number = excluded.number, text = excluded.text, saved_at = excluded.saved_at");
        peekDisk = db.prepareStatement("SELECT seq, kind, qos, topic, payload, created_at FROM outbox "
                + where + "seq > ? ORDER BY seq LIMIT ?");
        oldestOfKind = db.prepareStatement("SELECT seq, length(payload) + length(CAST(topic AS BLOB)) FROM outbox "
                + where + "kind = ? ORDER BY seq LIMIT 256");
        deadLetter = db.prepareStatement("INSERT OR REPLACE INTO dead_letter(" + column + "seq, kind, qos, topic, "
                + "payload, created_at, reason_code, reason, rejected_at) SELECT " + column + "seq, kind, qos, topic, "
                + "payload, created_at, ?, ?, ? FROM outbox " + where + "seq = ?");
        trimDeadLetters = db.prepareStatement("DELETE FROM dead_letter " + where + "seq <= "
                + "(SELECT seq FROM dead_letter" + only + " ORDER BY seq DESC LIMIT 1 OFFSET ?)");
    }

    /** The parameters of a statement confined to the partition: the device first, then {@code values}. */
    private Object[] mine(Object... values) {
        if (device == null) {
            return values;
        }
        Object[] all = new Object[values.length + 1];
        all[0] = device;
        System.arraycopy(values, 0, all, 1, values.length);
        return all;
    }

    private static PreparedStatement bind(PreparedStatement ps, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            ps.setObject(i + 1, values[i]);
        }
        return ps;
    }

    // ------------------------------------------------------------------ the writer's statements

    void insert(OutboxEntry e) throws SQLException {
        bind(insert, mine(e.seq(), e.kind().column(), e.qos(), e.topic(), e.payload(), e.createdAt().toEpochMilli()))
                .executeUpdate();
    }

    /** Payload + topic bytes of the entry {@code seq}, or -1 when it is not on disk. */
    long sizeOf(long seq) throws SQLException {
        try (ResultSet rs = bind(sizeOf, mine(seq)).executeQuery()) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }

    void delete(long seq) throws SQLException {
        bind(delete, mine(seq)).executeUpdate();
    }

    void setCounter(String name, long value) throws SQLException {
        bind(setCounter, mine(name, value)).executeUpdate();
    }

    void saveCheckpoint(String name, Checkpoint checkpoint) throws SQLException {
        bind(saveCheckpoint, mine(name, checkpoint.number(), checkpoint.text(), checkpoint.savedAt().toEpochMilli()))
                .executeUpdate();
    }

    /** Up to {@code limit} entries on disk after {@code afterSeq}, in order. */
    List<OutboxEntry> peekDisk(long afterSeq, int limit) throws SQLException {
        List<OutboxEntry> rows = new ArrayList<>(Math.min(limit, 1024));
        try (ResultSet rs = bind(peekDisk, mine(afterSeq, limit)).executeQuery()) {
            while (rs.next()) {
                rows.add(new OutboxEntry(rs.getLong(1), EntryKind.ofColumn(rs.getString(2)), rs.getInt(3),
                        rs.getString(4), rs.getBytes(5), Instant.ofEpochMilli(rs.getLong(6))));
            }
        }
        return rows;
    }

    /** The oldest entries of {@code kind} (at most 256), each as {seq, size}. */
    List<long[]> oldestOfKind(EntryKind kind) throws SQLException {
        List<long[]> oldest = new ArrayList<>();
        try (ResultSet rs = bind(oldestOfKind, mine(kind.column())).executeQuery()) {
            while (rs.next()) {
                oldest.add(new long[] {rs.getLong(1), rs.getLong(2)});
            }
        }
        return oldest;
    }

    /** Copies the entry {@code seq} to the dead-letter table with the broker's reason (the caller deletes it). */
    void deadLetter(long seq, int reasonCode, String reason, long rejectedAtMillis) throws SQLException {
        Object[] where = mine(seq);
        Object[] values = new Object[3 + where.length];
        values[0] = reasonCode;
        values[1] = reason;
        values[2] = rejectedAtMillis;
        System.arraycopy(where, 0, values, 3, where.length);
        bind(deadLetter, values).executeUpdate();
    }

    /** Keeps the newest {@code keep} dead letters. */
    void trimDeadLetters(int keep) throws SQLException {
        Object[] values = device == null ? new Object[] {keep} : new Object[] {device, device, keep};
        bind(trimDeadLetters, values).executeUpdate();
    }

    // ------------------------------------------------------------------ read once at open

    Map<String, Long> counters() throws SQLException {
        Map<String, Long> counters = new HashMap<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT name, value FROM counters" + only);
                ResultSet rs = bind(ps, mine()).executeQuery()) {
            while (rs.next()) {
                counters.put(rs.getString(1), rs.getLong(2));
            }
        }
        return counters;
    }

    /** {count, payload + topic bytes, highest seq (0 if none)} of the entries on disk. */
    long[] diskTotals() throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("SELECT count(*), coalesce(sum(length(payload) + "
                + "length(CAST(topic AS BLOB))), 0), coalesce(max(seq), 0) FROM outbox" + only);
                ResultSet rs = bind(ps, mine()).executeQuery()) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
        }
    }

    Map<String, Checkpoint> checkpoints() throws SQLException {
        Map<String, Checkpoint> checkpoints = new HashMap<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT name, number, text, saved_at FROM checkpoint" + only);
                ResultSet rs = bind(ps, mine()).executeQuery()) {
            while (rs.next()) {
                checkpoints.put(rs.getString(1), new Checkpoint(rs.getLong(2), rs.getString(3),
                        Instant.ofEpochMilli(rs.getLong(4))));
            }
        }
        return checkpoints;
    }

    // ------------------------------------------------------------------ transactions and failures

    /** After a failed statement: roll back what SQLite has not already, and get fresh statements. */
    void recover() {
        try {
            exec("ROLLBACK");
        } catch (SQLException e) {
            // SQLite rolls back by itself after SQLITE_FULL and some I/O errors
            log.trace("rollback: {}", e.getMessage());
        }
        closeStatements();
        try {
            prepare();
        } catch (SQLException e) {
            throw new OutboxException("cannot prepare outbox statements: " + e.getMessage(), e);
        }
    }

    /** Closes the prepared statements (a partition's, when its outbox closes and the shared file stays open). */
    void closeStatements() {
        for (Statement s : new Statement[] {insert, sizeOf, delete, setCounter, saveCheckpoint, peekDisk, oldestOfKind,
                deadLetter, trimDeadLetters, plain}) {
            if (s != null) {
                closeQuietly(s);
            }
        }
        plain = null;
    }

    /** A statement without parameters ({@code BEGIN IMMEDIATE}, {@code COMMIT}, …). */
    void exec(String sql) throws SQLException {
        if (plain == null) {
            plain = db.createStatement();
        }
        try {
            plain.execute(sql);
        } catch (SQLException e) {
            closeQuietly(plain);
            plain = null;
            throw e;
        }
    }

    private static void closeQuietly(Statement statement) {
        try {
            statement.close();
        } catch (SQLException e) {
            log.trace("closing statement: {}", e.getMessage());
        }
    }

    /** SQLite's result code and its meaning ({@code SQLITE_FULL: …}), for logs and health. */
    static String describe(SQLException e) {
        if (e instanceof SQLiteException se) {
            return se.getResultCode().name() + ": " + se.getResultCode().message;
        }
        return e.getMessage();
    }
}
