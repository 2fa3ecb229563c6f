package dev.edgekit.agent.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteException;

/**
 * The outbox's SQL: every statement its writer runs, prepared once on the writer's connection, and the recovery after
 * a failed one. Confined to the writer thread, like the connection. sqlite-jdbc closes a prepared statement whose
 * execution failed (e.g. SQLITE_FULL), so {@link #recover()} rolls back and prepares them all again.
 */
final class OutboxStatements {
    private static final Logger log = LoggerFactory.getLogger(Outbox.class);

    private final Connection db;
    PreparedStatement insert;
    PreparedStatement sizeOf;
    PreparedStatement delete;
    PreparedStatement setCounter;
    PreparedStatement saveCheckpoint;
    PreparedStatement peekDisk;
    PreparedStatement oldestOfKind;
    PreparedStatement deadLetter;
    PreparedStatement trimDeadLetters;
    private Statement plain;

    OutboxStatements(Connection db) throws SQLException {
        this.db = db;
        prepare();
    }

    private void prepare() throws SQLException {
        insert = db.prepareStatement(
                "INSERT INTO outbox(seq, kind, qos, topic, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)");
        sizeOf = db.prepareStatement(
                "SELECT length(payload) + length(CAST(topic AS BLOB)) FROM outbox WHERE seq = ?");
        delete = db.prepareStatement("DELETE FROM outbox WHERE seq = ?");
        setCounter = db.prepareStatement(
                "INSERT INTO counters(name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value");
        saveCheckpoint = db.prepareStatement("INSERT INTO checkpoint(name, number, text, saved_at) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT(name) DO UPDATE SET number = excluded.number, text = excluded.text, saved_at = excluded.saved_at");
        peekDisk = db.prepareStatement(
                "SELECT seq, kind, qos, topic, payload, created_at FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?");
        oldestOfKind = db.prepareStatement("SELECT seq, length(payload) + length(CAST(topic AS BLOB)) FROM outbox "
                + "WHERE kind = ? ORDER BY seq LIMIT 256");
        deadLetter = db.prepareStatement("INSERT OR REPLACE INTO dead_letter(seq, kind, qos, topic, payload, created_at, "
                + "reason_code, reason, rejected_at) SELECT seq, kind, qos, topic, payload, created_at, ?, ?, ? "
                + "FROM outbox WHERE seq = ?");
        trimDeadLetters = db.prepareStatement("DELETE FROM dead_letter WHERE seq <= "
                + "(SELECT seq FROM dead_letter ORDER BY seq DESC LIMIT 1 OFFSET ?)");
    }

    /** After a failed statement: roll back what SQLite has not already, and get fresh statements. */
    void recover() {
        try {
            exec("ROLLBACK");
        } catch (SQLException e) {
            // SQLite rolls back by itself after SQLITE_FULL and some I/O errors
            log.trace("rollback: {}", e.getMessage());
        }
        for (PreparedStatement ps : new PreparedStatement[] {insert, sizeOf, delete, setCounter, saveCheckpoint,
                peekDisk, oldestOfKind, deadLetter, trimDeadLetters}) {
            closeQuietly(ps);
        }
        try {
            prepare();
        } catch (SQLException e) {
            throw new OutboxException("cannot prepare outbox statements: " + e.getMessage(), e);
        }
    }

    void setCounter(String name, long value) throws SQLException {
        setCounter.setString(1, name);
        setCounter.setLong(2, value);
        setCounter.executeUpdate();
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
