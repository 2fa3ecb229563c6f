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
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The outbox database file: opening it in WAL mode with the configured durability, checking it
 * ({@code PRAGMA quick_check}), creating or accepting its schema, and moving a corrupt file aside (with its WAL) so the
 * agent can start afresh. Static and stateless: the writer owns the connection it returns.
 */
final class OutboxSchema {
    static final int SCHEMA_VERSION = 2; // 2: dead_letter
    static final int SHARED_SCHEMA_VERSION = 1;
    /** {@code PRAGMA application_id} of a shared file: "edkf". */
    static final int SHARED_APPLICATION_ID = 0x65646b66;
    private static final DateTimeFormatter CORRUPT_STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private OutboxSchema() {
    }

    static Connection connect(Path file, OutboxConfig config) throws SQLException {
        return connect(file, config.durability(), config.cacheKiB(), false);
    }

    /**
     * Opens {@code file}: WAL, the durability, the page cache, a quick check, then the schema: a board's own (one
     * device) or, when {@code partitioned}, a {@link SharedOutboxFile}'s (a {@code device} column in every table).
     */
    static Connection connect(Path file, Durability durability, int cacheKiB, boolean partitioned)
            throws SQLException {
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
            s.execute("PRAGMA synchronous = " + durability.pragma());
            s.execute("PRAGMA cache_size = -" + cacheKiB); // negative: KiB, not pages
            try (ResultSet rs = s.executeQuery("PRAGMA quick_check")) {
                String verdict = rs.next() ? rs.getString(1) : "no answer";
                if (!"ok".equals(verdict)) {
                    throw new SQLiteException("quick_check: " + verdict, SQLiteErrorCode.SQLITE_CORRUPT);
                }
            }
            s.execute("BEGIN IMMEDIATE");
            try {
                checkKind(s, file, partitioned);
                if (partitioned) {
                    createPartitionedSchema(s);
                } else {
                    createSchema(s);
                }
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

    /**
     * Opens {@code file} as {@link #connect(Path, Durability, int, boolean)} does, creating its folder; a corrupt file
     * that was there is moved aside (with its WAL) and a fresh one made, which loses its undelivered entries: said at
     * ERROR, naming {@code what} ("outbox database", "shared outbox").
     */
    static Connection openOrStartAfresh(Path file, Durability durability, int cacheKiB, boolean partitioned,
            InstantSource clock, String what) throws SQLException, IOException {
        Path parent = file.getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        boolean existed = Files.exists(file);
        try {
            return connect(file, durability, cacheKiB, partitioned);
        } catch (SQLException e) {
            if (!existed || !isCorruption(e)) {
                throw e;
            }
            Path aside = quarantine(file, clock, e.getMessage());
            LoggerFactory.getLogger(Outbox.class).error("{} {} is corrupt ({}); moved it aside to {} and started "
                    + "afresh: its undelivered entries are lost", what, file, e.getMessage(), aside.getFileName());
            return connect(file, durability, cacheKiB, partitioned);
        }
    }

    /** A shared file is marked with its own application id: neither kind of file opens as the other. */
    private static void checkKind(Statement s, Path file, boolean partitioned) throws SQLException {
        int version = intPragma(s, "user_version");
        int application = intPragma(s, "application_id");
        if (version > 0 && (application == SHARED_APPLICATION_ID) != partitioned) {
            throw new SQLException(file + " is " + (partitioned ? "a single agent's outbox" : "a shared outbox of "
                    + "many agents") + ", not " + (partitioned ? "a shared one" : "one agent's"));
        }
    }

    private static int intPragma(Statement s, String name) throws SQLException {
        try (ResultSet rs = s.executeQuery("PRAGMA " + name)) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    /** A file written by a newer agent is refused rather than misread. */
    private static void notNewerThan(Statement s, int known, String what) throws SQLException {
        int version = intPragma(s, "user_version");
        if (version > known) {
            throw new SQLException(what + " schema version " + version + " is newer than this agent (" + known + ")");
        }
    }

    private static void createSchema(Statement s) throws SQLException {
        notNewerThan(s, SCHEMA_VERSION, "outbox");
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

    /** The same tables with the device first in every key: one device's rows are one range of each index. */
    private static void createPartitionedSchema(Statement s) throws SQLException {
        notNewerThan(s, SHARED_SCHEMA_VERSION, "shared outbox");
        s.execute("""
                CREATE TABLE IF NOT EXISTS outbox (
                  device     TEXT    NOT NULL,
                  seq        INTEGER NOT NULL,
                  kind       TEXT    NOT NULL CHECK (kind IN ('telemetry', 'event')),
                  qos        INTEGER NOT NULL,
                  topic      TEXT    NOT NULL,
                  payload    BLOB    NOT NULL,
                  created_at INTEGER NOT NULL,
                  PRIMARY KEY (device, seq)
                )""");
        s.execute("CREATE INDEX IF NOT EXISTS outbox_by_kind ON outbox(device, kind, seq)");
        s.execute("""
                CREATE TABLE IF NOT EXISTS dead_letter (
                  device      TEXT    NOT NULL,
                  seq         INTEGER NOT NULL,
                  kind        TEXT    NOT NULL,
                  qos         INTEGER NOT NULL,
                  topic       TEXT    NOT NULL,
                  payload     BLOB    NOT NULL,
                  created_at  INTEGER NOT NULL,
                  reason_code INTEGER NOT NULL,
                  reason      TEXT    NOT NULL,
                  rejected_at INTEGER NOT NULL,
                  PRIMARY KEY (device, seq)
                )""");
        s.execute("""
                CREATE TABLE IF NOT EXISTS counters (
                  device TEXT NOT NULL, name TEXT NOT NULL, value INTEGER NOT NULL, PRIMARY KEY (device, name)
                ) WITHOUT ROWID""");
        s.execute("""
                CREATE TABLE IF NOT EXISTS checkpoint (
                  device   TEXT    NOT NULL,
                  name     TEXT    NOT NULL,
                  number   INTEGER NOT NULL,
                  text     TEXT    NOT NULL,
                  saved_at INTEGER NOT NULL,
                  PRIMARY KEY (device, name)
                ) WITHOUT ROWID""");
        s.execute("PRAGMA application_id = " + SHARED_APPLICATION_ID);
        s.execute("PRAGMA user_version = " + SHARED_SCHEMA_VERSION);
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
