package dev.edgekit.agent.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgekit.testkit.FakeClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

class OutboxSchemaTest {
    @TempDir
    Path dir;
    private final FakeClock clock = FakeClock.atEpochOf2026();

    private OutboxConfig config(Path file) {
        return OutboxConfig.builder(file).clock(clock).build();
    }

    private static String pragma(Connection c, String name) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void aNewFileGetsWalModeTheSchemaVersionAndAllFourTables() throws Exception {
        Path file = dir.resolve("o.db");
        try (Connection c = OutboxSchema.connect(file, config(file))) {
            assertThat(pragma(c, "journal_mode")).isEqualToIgnoringCase("wal");
            assertThat(pragma(c, "user_version")).isEqualTo(String.valueOf(OutboxSchema.SCHEMA_VERSION));
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                         + "AND name IN ('outbox', 'dead_letter', 'counters', 'checkpoint')")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(4);
            }
        }
    }

    @Test
    void aFileWrittenByANewerSchemaIsRefusedAndLeftUntouched() throws Exception {
        Path file = dir.resolve("o.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement s = c.createStatement()) {
            s.execute("PRAGMA user_version = " + (OutboxSchema.SCHEMA_VERSION + 1));
        }
        assertThatThrownBy(() -> OutboxSchema.connect(file, config(file)))
                .isInstanceOf(SQLException.class).hasMessageContaining("newer than this agent");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            assertThat(pragma(c, "user_version")).isEqualTo(String.valueOf(OutboxSchema.SCHEMA_VERSION + 1));
        }
    }

    @Test
    void corruptAndNotADatabaseCountAsCorruptionButABusyDatabaseDoesNot() {
        assertThat(OutboxSchema.isCorruption(new SQLiteException("x", SQLiteErrorCode.SQLITE_CORRUPT))).isTrue();
        assertThat(OutboxSchema.isCorruption(new SQLiteException("x", SQLiteErrorCode.SQLITE_NOTADB))).isTrue();
        assertThat(OutboxSchema.isCorruption(new SQLException("x", "HY000", 26))).isTrue();
        assertThat(OutboxSchema.isCorruption(new SQLiteException("x", SQLiteErrorCode.SQLITE_BUSY))).isFalse();
        assertThat(OutboxSchema.isCorruption(new SQLException("x", "HY000", 13))).isFalse();
    }

    @Test
    void quarantineMovesTheFileAndItsWalAsideUnderAStampAndDropsTheSharedMemoryFile() throws Exception {
        Path file = dir.resolve("o.db");
        Files.writeString(file, "main");
        Files.writeString(dir.resolve("o.db-wal"), "wal");
        Files.writeString(dir.resolve("o.db-shm"), "shm");

        Path aside = OutboxSchema.quarantine(file, clock, "test");

        assertThat(aside.getFileName().toString()).isEqualTo("o.db.corrupt-20260101T000000Z");
        assertThat(aside).hasContent("main");
        assertThat(dir.resolve("o.db.corrupt-20260101T000000Z-wal")).hasContent("wal");
        assertThat(file).doesNotExist();
        assertThat(dir.resolve("o.db-wal")).doesNotExist();
        assertThat(dir.resolve("o.db-shm")).doesNotExist();
    }

    @Test
    void aSecondQuarantineInTheSameSecondDoesNotOverwriteTheFirst() throws Exception {
        Path file = dir.resolve("o.db");
        Files.writeString(file, "first");
        Path first = OutboxSchema.quarantine(file, clock, "test");
        Files.writeString(file, "second");
        Path second = OutboxSchema.quarantine(file, clock, "test");

        assertThat(second).isNotEqualTo(first).hasContent("second");
        assertThat(second.getFileName().toString()).isEqualTo("o.db.corrupt-20260101T000000Z-1");
        assertThat(first).hasContent("first");
    }
}
