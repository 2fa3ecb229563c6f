package dev.edgekit.agent.outbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The outbox database file: opening it in WAL mode with the configured durability, checking it
 * ({@code PRAGMA quick_check}), creating or accepting its schema, and moving a corrupt file aside (with its WAL) so the
 * agent can start afresh. Static and stateless: the writer owns the connection it returns.
 */
final class OutboxSchema {
    static final int SCHEMA_VERSION = 2; // 2: dead_letter
    private static final DateTimeFormatter CORRUPT_STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private OutboxSchema() {
    }

    static Connection connect(Path file, OutboxConfig config) throws SQLException {
        Connection db = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement s = db.createStatement()) {
            s.execute("PRAGMA busy_timeout = 5000"); // a sqlite3 CLI reading the file must not fail the writer
            String mode;
            try (ResultSet rs = s.executeQuery("PRAGMA journal_mode = WAL")) {
                mode = rs.next() ? rs.getString(1) : "?";
            }
            if (!"wal".equalsIgnoreCase(mode)) {
                throw new SQLException("cannot switch " + file + " to WAL mode (got " + mode + ")");
            }
            s.execute("PRAGMA synchronous = " + config.durability().pragma());
            s.execute("PRAGMA cache_size = -" + config.cacheKiB()); // negative: KiB, not pages
            try (ResultSet rs = s.executeQuery("PRAGMA quick_check")) {
                String verdict = rs.next() ? rs.getString(1) : "no answer";
                if (!"ok".equals(verdict)) {
                    throw new SQLiteException("quick_check: " + verdict, SQLiteErrorCode.SQLITE_CORRUPT);
                }
            }
            s.execute("BEGIN IMMEDIATE");
            try {
                createSchema(s);
                s.execute("COMMIT");
            } catch (SQLException e) {
                s.execute("ROLLBACK");
                throw e;
            }
        } catch (SQLException e) {
            db.close();
            throw e;
        }
        return db;
    }

    private static void createSchema(Statement s) throws SQLException {
        int version;
        try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
            version = rs.next() ? rs.getInt(1) : 0;
        }
        if (version > SCHEMA_VERSION) {
            throw new SQLException("outbox schema version " + version + " is newer than this agent ("
                    + SCHEMA_VERSION + ")");
        }
        s.execute("""
                CREATE TABLE IF NOT EXISTS outbox (
                  seq        INTEGER PRIMARY KEY,
                  kind       TEXT    NOT NULL CHECK (kind IN ('telemetry', 'event')),
                  qos        INTEGER NOT NULL,
                  topic      TEXT    NOT NULL,
                  payload    BLOB    NOT NULL,
                  created_at INTEGER NOT NULL
                )""");
        s.execute("CREATE INDEX IF NOT EXISTS outbox_by_kind ON outbox(kind, seq)");
        s.execute("""
                CREATE TABLE IF NOT EXISTS dead_letter (
                  seq         INTEGER PRIMARY KEY,
                  kind        TEXT    NOT NULL,
                  qos         INTEGER NOT NULL,
                  topic       TEXT    NOT NULL,
                  payload     BLOB    NOT NULL,
                  created_at  INTEGER NOT NULL,
                  reason_code INTEGER NOT NULL,
                  reason      TEXT    NOT NULL,
                  rejected_at INTEGER NOT NULL
                )""");
        s.execute("CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID");
        s.execute("""
                CREATE TABLE IF NOT EXISTS checkpoint (
                  name     TEXT PRIMARY KEY,
                  number   INTEGER NOT NULL,
                  text     TEXT    NOT NULL,
                  saved_at INTEGER NOT NULL
                ) WITHOUT ROWID""");
        s.execute("PRAGMA user_version = " + SCHEMA_VERSION);
    }

    static boolean isCorruption(SQLException e) {
        if (e instanceof SQLiteException se) {
            SQLiteErrorCode code = se.getResultCode();
            return code == SQLiteErrorCode.SQLITE_CORRUPT || code == SQLiteErrorCode.SQLITE_NOTADB
                    || code.name().startsWith("SQLITE_CORRUPT");
        }
        int primary = e.getErrorCode() & 0xff;
        return primary == 11 || primary == 26;
    }

    static Path quarantine(Path file, InstantSource clock, String why) throws IOException {
        String stamp = CORRUPT_STAMP.format(clock.instant());
        Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + stamp);
        for (int i = 1; Files.exists(aside); i++) {
            aside = file.resolveSibling(file.getFileName() + ".corrupt-" + stamp + "-" + i);
        }
        Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
        Path wal = file.resolveSibling(file.getFileName() + "-wal");
        if (Files.exists(wal)) {
            Files.move(wal, aside.resolveSibling(aside.getFileName() + "-wal"), StandardCopyOption.ATOMIC_MOVE);
        }
        Files.deleteIfExists(file.resolveSibling(file.getFileName() + "-shm"));
        return aside;
    }
}
