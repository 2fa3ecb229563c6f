package dev.edgekit.agent.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgekit.testkit.FakeClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer's statements on their own: a failed transaction is rolled back and every statement works again. */
class OutboxStatementsTest {
    @TempDir
    Path dir;

    private static void insert(OutboxStatements sql, long seq) throws SQLException {
        sql.insert(new OutboxEntry(seq, EntryKind.TELEMETRY, 1, "edgekit/v1/lab/pi-1/telemetry/t", new byte[] {1, 2, 3},
                Instant.EPOCH));
    }

    private static long count(OutboxStatements sql, long afterSeq) throws SQLException {
        return sql.peekDisk(afterSeq, 100).size();
    }

    @Test
    void afterAFailedTransactionNothingOfItStaysAndTheStatementsWorkAgain() throws Exception {
        Path file = dir.resolve("o.db");
        try (Connection db = OutboxSchema.connect(file,
                OutboxConfig.builder(file).clock(FakeClock.atEpochOf2026()).build())) {
            OutboxStatements sql = new OutboxStatements(db);
            sql.exec("BEGIN IMMEDIATE");
            insert(sql, 1);
            sql.exec("COMMIT");

            sql.exec("BEGIN IMMEDIATE");
            insert(sql, 2);
            SQLException duplicate = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class,
                    () -> insert(sql, 1));
            assertThat(OutboxStatements.describe(duplicate)).startsWith("SQLITE_CONSTRAINT");
            sql.recover();

            assertThat(count(sql, 0)).isEqualTo(1); // seq 2 was rolled back with the failed transaction
            sql.exec("BEGIN IMMEDIATE");
            insert(sql, 3);
            sql.setCounter("next_seq", 4);
            sql.exec("COMMIT");
            assertThat(count(sql, 0)).isEqualTo(2);
            assertThatThrownBy(() -> sql.exec("NOT SQL")).isInstanceOf(SQLException.class);
            sql.exec("SELECT 1"); // the plain statement is made again after a failure
        }
    }
}
