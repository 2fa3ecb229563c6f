package dev.edgekit.agent.outbox;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgekit.agent.outbox.OutboxLedger.Outcome;
import dev.edgekit.agent.outbox.WriterOp.Reject;
import dev.edgekit.testkit.FakeClock;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger alone on a real file: no writer thread and no queue. The test is the writer: it admits entries, records
 * acknowledgements and refusals, commits, and fails the disk through its own connection.
 */
class OutboxLedgerTest {
    private static final String TOPIC = "t/x"; // 3 bytes: an entry's size is 3 + its payload's length

    @TempDir
    Path dir;
    private final FakeClock clock = FakeClock.atEpochOf2026();
    private OutboxConfig config;
    @AutoClose
    private OutboxFile file;
    private OutboxStatements sql;

    private OutboxConfig.Builder config() {
        return OutboxConfig.builder(dir.resolve("o.db")).clock(clock).diskRetryInterval(Duration.ofSeconds(5));
    }

    private OutboxLedger open(OutboxConfig.Builder builder) throws SQLException {
        config = builder.build();
        file = OutboxFile.open(config);
        sql = file.sql;
        return OutboxLedger.load(config, sql);
    }

    /** What a restart would find: a ledger loaded again from the file. */
    private OutboxLedger reload() throws SQLException {
        return OutboxLedger.load(config, sql);
    }

    private static NewEntry telemetry(String body) {
        return NewEntry.of(TOPIC, EntryKind.TELEMETRY, body.getBytes(UTF_8));
    }

    private static NewEntry event(String body) {
        return NewEntry.of(TOPIC, EntryKind.EVENT, body.getBytes(UTF_8));
    }

    private List<OutboxEntry> admit(OutboxLedger ledger, NewEntry... entries) {
        return Stream.of(entries).map(e -> ledger.admit(e, clock.instant())).toList();
    }

    /** One batch: {@code entries} admitted and committed now. */
    private Outcome commit(OutboxLedger ledger, NewEntry... entries) {
        return ledger.commit(admit(ledger, entries), clock.instant());
    }

    private static List<String> bodies(List<OutboxEntry> entries) {
        return entries.stream().map(e -> new String(e.payload(), UTF_8)).toList();
    }

    private static List<Long> seqs(List<OutboxEntry> entries) {
        return entries.stream().map(OutboxEntry::seq).toList();
    }

    private List<String> onDisk() throws SQLException {
        return bodies(sql.peekDisk(0, 100));
    }

    private void execute(String statement) throws SQLException {
        file.execute(statement);
    }

    @Test
    void entriesGetConsecutiveSequenceNumbersFromAboveAnyEarlierDatabaseAndARefusedOneUsesNone() throws Exception {
        OutboxLedger ledger = open(config().maxMessageBytes(32));
        long first = clock.millis() * 1000;
        assertThat(ledger.status().nextSeq()).isEqualTo(first);

        OutboxEntry a = ledger.admit(telemetry("a"), clock.instant());
        assertThatThrownBy(() -> ledger.admit(NewEntry.telemetry(TOPIC, seq -> {
            throw new IllegalArgumentException("bad sample");
        }), clock.instant())).hasMessage("bad sample");
        assertThatThrownBy(() -> ledger.admit(telemetry("x".repeat(40)), clock.instant()))
                .isInstanceOf(OutboxException.class).hasMessageContaining("maxMessageBytes");
        OutboxEntry b = ledger.admit(NewEntry.telemetry(TOPIC, seq -> ("seq " + seq).getBytes(UTF_8)),
                clock.instant());

        assertThat(seqs(List.of(a, b))).containsExactly(first, first + 1);
        assertThat(bodies(List.of(b))).containsExactly("seq " + (first + 1));
        assertThat(ledger.status().rejected()).isEqualTo(1);
        ledger.commit(List.of(a, b), clock.instant());
        assertThat(reload().status()).extracting(OutboxStatus::nextSeq, OutboxStatus::rejected)
                .containsExactly(first + 2, 1L);
    }

    @Test
    void admittedEntriesCountOnlyOnceCommitted() throws Exception {
        OutboxLedger ledger = open(config());
        List<OutboxEntry> fresh = admit(ledger, telemetry("aa"), event("bbb"));
        assertThat(ledger.status()).extracting(OutboxStatus::depth, OutboxStatus::bytes).containsExactly(0L, 0L);

        assertThat(ledger.commit(fresh, clock.instant())).isEqualTo(new Outcome(true, true));

        assertThat(ledger.status()).extracting(OutboxStatus::depth, OutboxStatus::bytes).containsExactly(2L, 11L);
        assertThat(onDisk()).containsExactly("aa", "bbb");
    }

    @Test
    void aTransactionRefusedAfterItsInsertsAndDropsChangesNoCounter() throws Exception {
        OutboxLedger ledger = open(config().maxEntries(2));
        commit(ledger, telemetry("t1"), telemetry("t2"));
        // the inserts and the overflow policy's drops run, then writing the counters fails: all of it rolls back
        execute("CREATE TEMP TRIGGER refuse_counters BEFORE INSERT ON counters "
                + "BEGIN SELECT RAISE(ABORT, 'counters refused'); END");

        Outcome outcome = commit(ledger, telemetry("t3"), telemetry("t4"));

        assertThat(outcome.durable()).isFalse();
        OutboxStatus status = ledger.status();
        assertThat(status.droppedTelemetry()).isZero();
        assertThat(status.memoryBuffered()).isEqualTo(2);
        assertThat(status.depth()).isEqualTo(4); // two on disk, two buffered
        assertThat(status.bytes()).isEqualTo(4 * 5);
        assertThat(((StorageHealth.Degraded) status.health()).reason()).startsWith("SQLITE_CONSTRAINT_TRIGGER");
        assertThat(onDisk()).containsExactly("t1", "t2");
    }

    @Test
    void aFullDiskDegradesTheLedgerBuffersInMemoryAndReservesTheBufferedSequenceNumbers() throws Exception {
        OutboxLedger ledger = open(config());
        OutboxEntry before = admit(ledger, telemetry("before")).get(0);
        ledger.commit(List.of(before), clock.instant());
        OutboxStatus healthy = ledger.status();
        execute("PRAGMA max_page_count = 1"); // clamps to the current size: full now
        ledger.saveCheckpoint("big", new Checkpoint(1, "c".repeat(20_000), clock.instant()));

        Outcome outcome = commit(ledger, telemetry("x".repeat(20_000)), event("e"));

        assertThat(outcome).isEqualTo(new Outcome(false, false));
        OutboxStatus status = ledger.status();
        assertThat(status.health()).isInstanceOf(StorageHealth.Degraded.class);
        assertThat((StorageHealth.Degraded) status.health()).satisfies(degraded -> {
            assertThat(degraded.reason()).contains("SQLITE_FULL");
            assertThat(degraded.since()).isEqualTo(clock.instant());
        });
        assertThat(status.memoryBuffered()).isEqualTo(2);
        assertThat(status.depth()).isEqualTo(3);
        assertThat(status.bytes()).isEqualTo(healthy.bytes() + 20_003 + 4);
        assertThat(status.droppedTelemetry()).isZero();
        assertThat(onDisk()).containsExactly("before");
        assertThat(seqs(ledger.read(0, 10))).containsExactly(before.seq(), before.seq() + 1, before.seq() + 2);
        // a restart now would not hand out the buffered seqs again, nor the next memoryEntries ones
        assertThat(reload().status().nextSeq()).isEqualTo(status.nextSeq() + config.memoryEntries());
    }

    @Test
    void theDiskIsRetriedOnlyAfterTheIntervalThenTheBufferIsWrittenBackInOrder() throws Exception {
        OutboxLedger ledger = open(config());
        long first = commitFirst(ledger, "before");
        execute("PRAGMA max_page_count = 1");
        assertThat(commit(ledger, telemetry("x".repeat(20_000)), event("e")).durable()).isFalse();
        execute("PRAGMA max_page_count = 1073741823"); // room again

        clock.advance(Duration.ofSeconds(4));
        ledger.acknowledge(first);
        assertThat(commit(ledger, telemetry("early")).durable()).isFalse(); // the retry is not due yet
        assertThat(onDisk()).isEmpty(); // but the acknowledged delete went through

        clock.advance(Duration.ofSeconds(1));
        Outcome due = commit(ledger, telemetry("due"));

        assertThat(due.durable()).isTrue();
        assertThat(ledger.status().health()).isEqualTo(new StorageHealth.Healthy());
        assertThat(ledger.status().memoryBuffered()).isZero();
        assertThat(onDisk()).containsExactly("x".repeat(20_000), "e", "early", "due");
        assertThat(seqs(sql.peekDisk(0, 10))).containsExactly(first + 1, first + 2, first + 3, first + 4);
        assertThat(ledger.status()).extracting(OutboxStatus::depth, OutboxStatus::bytes)
                .containsExactly(4L, 20_003L + 4 + 8 + 6);
    }

    private long commitFirst(OutboxLedger ledger, String body) {
        OutboxEntry entry = admit(ledger, telemetry(body)).get(0);
        assertThat(ledger.commit(List.of(entry), clock.instant()).durable()).isTrue();
        return entry.seq();
    }

    @Test
    void whileDegradedABufferedEntryThatIsRefusedIsDroppedAndCountedAndOneAcknowledgedLeavesAtOnce() throws Exception {
        OutboxLedger ledger = open(config());
        commit(ledger, telemetry("before"));
        execute("PRAGMA max_page_count = 1");
        List<OutboxEntry> buffered = admit(ledger, telemetry("x".repeat(20_000)), telemetry("y"), telemetry("z"));
        ledger.commit(buffered, clock.instant());

        ledger.reject(new Reject(buffered.get(0).seq(), 0x95, "packet too large"));
        ledger.acknowledge(buffered.get(1).seq());

        assertThat(ledger.status()).extracting(OutboxStatus::memoryBuffered, OutboxStatus::rejected)
                .containsExactly(1L, 1L);
        assertThat(bodies(ledger.read(0, 10))).containsExactly("before", "z");
    }

    @Test
    void pendingDeletesAndRefusalsAreSkippedByReadUntilTheirTransactionRemovesThem() throws Exception {
        OutboxLedger ledger = open(config());
        List<OutboxEntry> e = admit(ledger, telemetry("a"), telemetry("b"), telemetry("c"), telemetry("d"),
                telemetry("e"));
        ledger.commit(e, clock.instant());

        ledger.acknowledge(e.get(1).seq());
        ledger.reject(new Reject(e.get(3).seq(), 0x87, "not authorized"));

        assertThat(bodies(ledger.read(0, 10))).containsExactly("a", "c", "e");
        assertThat(bodies(ledger.read(0, 2))).containsExactly("a", "c");
        assertThat(bodies(ledger.read(e.get(0).seq(), 2))).containsExactly("c", "e");
        assertThat(ledger.status().depth()).isEqualTo(3);
        assertThat(onDisk()).hasSize(5); // hidden, not deleted yet

        ledger.commit(List.of(), clock.instant());

        assertThat(onDisk()).containsExactly("a", "c", "e");
        assertThat(ledger.status()).extracting(OutboxStatus::depth, OutboxStatus::rejected).containsExactly(3L, 1L);
    }

    @Test
    void theOverflowPolicyDropsTheOldestTelemetryThenEventsAndTheCountsArePersisted() throws Exception {
        OutboxLedger ledger = open(config().maxEntries(3));

        commit(ledger, telemetry("t1"), event("e1"), telemetry("t2"), event("e2"));
        assertThat(bodies(ledger.read(0, 10))).containsExactly("e1", "t2", "e2");
        commit(ledger, event("e3"), event("e4")); // t2 goes, then the oldest event

        assertThat(bodies(ledger.read(0, 10))).containsExactly("e2", "e3", "e4");
        assertThat(ledger.status()).extracting(OutboxStatus::droppedTelemetry, OutboxStatus::droppedEvents,
                OutboxStatus::depth).containsExactly(2L, 1L, 3L);
        assertThat(reload().status()).extracting(OutboxStatus::droppedTelemetry, OutboxStatus::droppedEvents,
                OutboxStatus::depth).containsExactly(2L, 1L, 3L);
    }

    @Test
    void entriesTheFullMemoryBufferDroppedAreCountedOnDiskOnceItWritesAgain() throws Exception {
        OutboxLedger ledger = open(config().memoryBuffer(2, 1_000_000));
        commit(ledger, telemetry("before"));
        execute("PRAGMA max_page_count = 1");
        commit(ledger, telemetry("x".repeat(20_000)), telemetry("b"), telemetry("c"), event("d"));
        assertThat(ledger.status()).extracting(OutboxStatus::memoryBuffered, OutboxStatus::droppedTelemetry)
                .containsExactly(2L, 2L);
        execute("PRAGMA max_page_count = 1073741823");
        clock.advance(config.diskRetryInterval());

        assertThat(commit(ledger).durable()).isTrue(); // nothing fresh and nothing dropped on disk

        assertThat(onDisk()).containsExactly("before", "c", "d");
        assertThat(reload().status().droppedTelemetry()).isEqualTo(2); // a restart still knows what was lost
    }

    @Test
    void deadLettersAreTrimmedToMaxDeadLettersAndTheRejectedCountIsPersisted() throws Exception {
        OutboxLedger ledger = open(config().maxDeadLetters(2));
        List<OutboxEntry> e = admit(ledger, telemetry("a"), telemetry("b"), telemetry("c"), telemetry("d"));
        ledger.commit(e, clock.instant());
        for (int i = 0; i < 3; i++) {
            ledger.reject(new Reject(e.get(i).seq(), 0x87, "not authorized"));
        }

        ledger.commit(List.of(), clock.instant());

        assertThat(deadLetterSeqs()).containsExactly(e.get(1).seq(), e.get(2).seq());
        assertThat(onDisk()).containsExactly("d");
        assertThat(ledger.status().rejected()).isEqualTo(3);
        assertThat(reload().status().rejected()).isEqualTo(3);
    }

    private List<Long> deadLetterSeqs() throws SQLException {
        return file.longs("SELECT seq FROM dead_letter ORDER BY seq", 1).stream().map(List::getFirst).toList();
    }
}
