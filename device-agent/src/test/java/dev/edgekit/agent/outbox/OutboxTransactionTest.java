package dev.edgekit.agent.outbox;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.edgekit.agent.outbox.OutboxTransaction.Changes;
import dev.edgekit.agent.outbox.WriterOp.Reject;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One transaction's writes on a real file, without a ledger: what it does on disk and what it counts. */
class OutboxTransactionTest {
    private static final String TOPIC = "t/x"; // 3 bytes: an entry's size is 3 + its payload's length
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;
    @AutoClose
    private OutboxFile file;
    private OutboxStatements sql;

    private OutboxConfig.Builder config() {
        return OutboxConfig.builder(dir.resolve("o.db")).clock(InstantSource.fixed(NOW));
    }

    private OutboxConfig open(OutboxConfig.Builder builder) throws SQLException {
        OutboxConfig config = builder.build();
        file = OutboxFile.open(config);
        sql = file.sql;
        return config;
    }

    private static OutboxEntry telemetry(long seq, String body) {
        return new OutboxEntry(seq, EntryKind.TELEMETRY, 1, TOPIC, body.getBytes(UTF_8), NOW);
    }

    private static OutboxEntry event(long seq, String body) {
        return new OutboxEntry(seq, EntryKind.EVENT, 1, TOPIC, body.getBytes(UTF_8), NOW);
    }

    /** Runs {@code writes} in one committed transaction on a disk holding {@code count} entries of {@code bytes}. */
    private Changes commit(OutboxConfig config, long count, long bytes, Writes writes) throws SQLException {
        OutboxTransaction tx = new OutboxTransaction(sql, config, count, bytes);
        sql.exec("BEGIN IMMEDIATE");
        writes.run(tx);
        sql.exec("COMMIT");
        return tx.changes();
    }

    @FunctionalInterface
    private interface Writes {
        void run(OutboxTransaction tx) throws SQLException;
    }

    private List<String> onDisk() throws SQLException {
        return sql.peekDisk(0, 100).stream().map(e -> new String(e.payload(), UTF_8)).toList();
    }

    @Test
    void theOverflowPolicyDropsTheOldestTelemetryFirstAndEventsOnlyWhenNoTelemetryIsLeft() throws Exception {
        OutboxConfig config = open(config().maxEntries(3));

        Changes first = commit(config, 0, 0, tx -> {
            tx.insert(List.of(telemetry(1, "t1"), event(2, "e2"), telemetry(3, "t3"), event(4, "e4"),
                    telemetry(5, "t5")));
            tx.enforceBounds();
        });
        assertThat(onDisk()).containsExactly("e2", "e4", "t5");
        assertThat(first).isEqualTo(new Changes(3, 3 * 5, 2, 0, List.of()));

        Changes second = commit(config, 3, 3 * 5, tx -> {
            tx.insert(List.of(event(6, "e6"), event(7, "e7")));
            tx.enforceBounds();
        });
        assertThat(onDisk()).containsExactly("e4", "e6", "e7");
        assertThat(second).isEqualTo(new Changes(0, 0, 1, 1, List.of()));
    }

    @Test
    void theByteBoundCountsWhatIsAlreadyOnDiskAndPayloadPlusTopic() throws Exception {
        OutboxConfig config = open(config().maxBytes(20));
        commit(config, 0, 0, tx -> tx.insert(List.of(telemetry(1, "aaaaaaa")))); // 10 bytes, not checked

        Changes changes = commit(config, 1, 10, tx -> {
            tx.insert(List.of(telemetry(2, "bbbbbbb"), telemetry(3, "c"))); // 10 + 4: 24 > 20
            tx.enforceBounds();
        });

        assertThat(onDisk()).containsExactly("bbbbbbb", "c");
        assertThat(changes).isEqualTo(new Changes(1, 4, 1, 0, List.of()));
    }

    @Test
    void deletesCountOnlyEntriesThatAreStillOnDisk() throws Exception {
        OutboxConfig config = open(config());
        commit(config, 0, 0, tx -> tx.insert(List.of(telemetry(1, "one"), telemetry(2, "two"))));

        Changes changes = commit(config, 2, 12, tx -> tx.delete(List.of(1L, 99L)));

        assertThat(onDisk()).containsExactly("two");
        assertThat(changes).isEqualTo(new Changes(-1, -6, 0, 0, List.of()));
    }

    @Test
    void refusalsMoveToDeadLetterWithTheirReasonAndOnlyTheNewestMaxDeadLettersStay() throws Exception {
        OutboxConfig config = open(config().maxDeadLetters(2));
        commit(config, 0, 0, tx -> tx.insert(List.of(telemetry(1, "a"), telemetry(2, "b"), telemetry(3, "c"),
                telemetry(4, "d"))));
        Reject r1 = new Reject(1, 0x87, "not authorized");
        Reject r2 = new Reject(2, 0x97, "quota exceeded");
        Reject r3 = new Reject(3, 0x99, "payload format invalid");
        Reject gone = new Reject(42, 0x87, "not on disk");

        Changes changes = commit(config, 4, 16, tx -> tx.deadLetter(List.of(r1, gone, r2, r3), NOW));

        assertThat(onDisk()).containsExactly("d");
        assertThat(changes).isEqualTo(new Changes(-3, -12, 0, 0, List.of(r1, r2, r3)));
        assertThat(deadLetters()).containsExactly(
                List.of(2L, 0x97L, NOW.toEpochMilli()), List.of(3L, 0x99L, NOW.toEpochMilli()));
    }

    @Test
    void checkpointsAreWrittenOverTheirEarlierValue() throws Exception {
        OutboxConfig config = open(config());
        Checkpoint first = new Checkpoint(1, "one", NOW);
        Checkpoint second = new Checkpoint(2, "two", NOW.plusSeconds(1));
        commit(config, 0, 0, tx -> tx.saveCheckpoints(Map.of("lamport", first)));

        Changes changes = commit(config, 0, 0, tx -> tx.saveCheckpoints(Map.of("lamport", second)));

        assertThat(sql.checkpoints()).containsOnly(Map.entry("lamport", second));
        assertThat(changes).isEqualTo(new Changes(0, 0, 0, 0, List.of()));
    }

    /** {seq, reason_code, rejected_at} of each dead letter, in order. */
    private List<List<Long>> deadLetters() throws SQLException {
        return file.longs("SELECT seq, reason_code, rejected_at FROM dead_letter ORDER BY seq", 3);
    }
}
