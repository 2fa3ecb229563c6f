package dev.edgekit.agent.outbox;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgekit.testkit.FakeClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteOutboxTest {
    @TempDir
    Path dir;
    private final FakeClock clock = FakeClock.atEpochOf2026();
    private final List<Outbox> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(Outbox::close);
    }

    private Path file() {
        return dir.resolve("outbox.db");
    }

    private OutboxConfig.Builder config() {
        return OutboxConfig.builder(file()).clock(clock).diskRetryInterval(Duration.ofSeconds(5));
    }

    private Outbox open(OutboxConfig.Builder builder) {
        Outbox outbox = Outbox.open(builder.build());
        opened.add(outbox);
        return outbox;
    }

    private Outbox reopen(Outbox outbox, OutboxConfig.Builder builder) {
        outbox.close();
        opened.remove(outbox);
        return open(builder);
    }

    private static NewEntry telemetry(String body) {
        return NewEntry.of("edgekit/v1/lab/dev1/telemetry/t", EntryKind.TELEMETRY, body.getBytes(UTF_8));
    }

    private static NewEntry event(String body) {
        return NewEntry.of("edgekit/v1/lab/dev1/event/button", EntryKind.EVENT, body.getBytes(UTF_8));
    }

    private static List<String> bodies(List<OutboxEntry> entries) {
        return entries.stream().map(e -> new String(e.payload(), UTF_8)).toList();
    }

    private static List<Long> seqs(List<OutboxEntry> entries) {
        return entries.stream().map(OutboxEntry::seq).toList();
    }

    @Test
    void appendsGetConsecutiveSequenceNumbersAndArePeekedInOrderWithTheirFields() {
        Outbox outbox = open(config());
        Receipt a = outbox.append(telemetry("a"));
        clock.advance(Duration.ofMillis(5));
        Receipt b = outbox.append(event("b"));

        assertThat(a.durable()).isTrue();
        assertThat(b.seq()).isEqualTo(a.seq() + 1);
        List<OutboxEntry> peeked = outbox.peekOldest(10);
        assertThat(peeked).hasSize(2);
        assertThat(peeked.get(0)).isEqualTo(new OutboxEntry(a.seq(), EntryKind.TELEMETRY, 1,
                "edgekit/v1/lab/dev1/telemetry/t", "a".getBytes(UTF_8), clock.instant().minusMillis(5)));
        assertThat(peeked.get(1).kind()).isEqualTo(EntryKind.EVENT);
        assertThat(peeked.get(1).createdAt()).isEqualTo(clock.instant());
    }

    @Test
    void thePayloadEncoderSeesTheSequenceNumberTheEntryGets() {
        Outbox outbox = open(config());
        Receipt r = outbox.append(NewEntry.telemetry("t/x", seq -> ("{\"seq\":" + seq + "}").getBytes(UTF_8)));
        assertThat(bodies(outbox.peekOldest(1))).containsExactly("{\"seq\":" + r.seq() + "}");
    }

    @Test
    void peekAfterASequenceNumberReturnsOnlyLaterEntriesUpToTheLimit() {
        Outbox outbox = open(config());
        long first = outbox.append(telemetry("0")).seq();
        IntStream.range(1, 10).forEach(i -> outbox.append(telemetry(String.valueOf(i))));
        assertThat(bodies(outbox.peek(first + 2, 3))).containsExactly("3", "4", "5");
        assertThat(outbox.peek(first + 9, 3)).isEmpty();
    }

    @Test
    void acknowledgedEntriesAreGoneAndOthersStayInOrder() {
        Outbox outbox = open(config());
        List<Long> seqs = Stream.of("a", "b", "c", "d").map(b -> outbox.append(telemetry(b)).seq()).toList();
        outbox.acknowledge(seqs.get(2));
        outbox.acknowledge(seqs.get(0));
        assertThat(bodies(outbox.peekOldest(10))).containsExactly("b", "d");
        assertThat(outbox.status().depth()).isEqualTo(2);
    }

    @Test
    void afterARestartUndeliveredEntriesComeFirstInOrderAndNewOnesFollow() {
        Outbox outbox = open(config());
        List<Long> seqs = Stream.of("a", "b", "c").map(b -> outbox.append(telemetry(b)).seq()).toList();
        outbox.acknowledge(seqs.get(0));

        Outbox restarted = reopen(outbox, config());
        Receipt d = restarted.append(telemetry("d"));

        assertThat(bodies(restarted.peekOldest(10))).containsExactly("b", "c", "d");
        assertThat(d.seq()).isEqualTo(seqs.get(2) + 1);
    }

    @Test
    void aRestartedOutboxNeverReusesASequenceNumberEvenWhenEverythingWasDelivered() {
        Outbox outbox = open(config());
        long last = 0;
        for (int i = 0; i < 5; i++) {
            last = outbox.append(telemetry("x" + i)).seq();
            outbox.acknowledge(last);
        }
        outbox.flush();
        assertThat(outbox.status().depth()).isZero();

        Outbox restarted = reopen(outbox, config());
        assertThat(restarted.append(telemetry("y")).seq()).isEqualTo(last + 1);
    }

    @Test
    void aNewDatabaseStartsItsSequenceAboveAnyThatALostDatabaseOfTheDeviceCouldHaveUsed() {
        Outbox outbox = open(config());
        assertThat(outbox.status().nextSeq()).isEqualTo(clock.millis() * 1000);
    }

    @Test
    void concurrentAppendsAllGetDistinctSequenceNumbersAndAllAreStored() throws Exception {
        Outbox outbox = open(config());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<Receipt>> receipts = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                receipts.addAll(pool.submit(() -> IntStream.range(0, 250)
                        .mapToObj(i -> outbox.appendAsync(telemetry(thread + "-" + i))).toList()).get());
            }
            List<Long> assigned = receipts.stream().map(CompletableFuture::join).map(Receipt::seq).sorted().toList();
            assertThat(assigned).doesNotHaveDuplicates().hasSize(1000);
            assertThat(assigned.get(999) - assigned.get(0)).isEqualTo(999);
            assertThat(seqs(outbox.peekOldest(2000))).isEqualTo(assigned);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void checkpointsAreRestoredAtStart() {
        Outbox outbox = open(config());
        assertThat(outbox.checkpoints().save(CheckpointStore.LAMPORT, 42, "").join()).isTrue();
        outbox.checkpoints().save(CheckpointStore.HLC, 1_767_225_600_000L, "1767225600000:3");
        outbox.checkpoints().save(CheckpointStore.FREQUENCY, 0, "-12.75");
        outbox.checkpoints().save(CheckpointStore.LAMPORT, 43, "");

        Outbox restarted = reopen(outbox, config());
        assertThat(restarted.checkpoints().load(CheckpointStore.LAMPORT)).get()
                .extracting(Checkpoint::number).isEqualTo(43L);
        assertThat(restarted.checkpoints().load(CheckpointStore.HLC)).get()
                .extracting(Checkpoint::text).isEqualTo("1767225600000:3");
        assertThat(restarted.checkpoints().load(CheckpointStore.FREQUENCY).orElseThrow().text()).isEqualTo("-12.75");
        assertThat(restarted.checkpoints().load(CheckpointStore.FREQUENCY).orElseThrow().savedAt())
                .isEqualTo(clock.instant());
        assertThat(restarted.checkpoints().load("unknown")).isEmpty();
    }

    @Test
    void whenTheEntryBoundIsReachedTheOldestTelemetryIsDroppedAndEventsAreKept() {
        Outbox outbox = open(config().maxEntries(5));
        outbox.append(telemetry("t1"));
        outbox.append(event("e1"));
        outbox.append(telemetry("t2"));
        outbox.append(telemetry("t3"));
        outbox.append(event("e2"));
        outbox.append(telemetry("t4"));
        outbox.append(telemetry("t5"));

        assertThat(bodies(outbox.peekOldest(10))).containsExactly("e1", "t3", "e2", "t4", "t5");
        assertThat(outbox.status().droppedTelemetry()).isEqualTo(2);
        assertThat(outbox.status().droppedEvents()).isZero();
    }

    @Test
    void whenOnlyEventsAreLeftTheOldestEventIsDroppedAndCountedApart() {
        Outbox outbox = open(config().maxEntries(2));
        outbox.append(event("e1"));
        outbox.append(event("e2"));
        outbox.append(event("e3"));
        assertThat(bodies(outbox.peekOldest(10))).containsExactly("e2", "e3");
        assertThat(outbox.status().droppedEvents()).isEqualTo(1);
    }

    @Test
    void theByteBoundCountsPayloadAndTopic() {
        String topic = "t/x"; // 3 bytes
        Outbox outbox = open(config().maxBytes(3 * (topic.length() + 11)));
        for (int i = 0; i < 5; i++) {
            outbox.append(NewEntry.of(topic, EntryKind.TELEMETRY, ("payload-00" + i).getBytes(UTF_8)));
        }
        assertThat(bodies(outbox.peekOldest(10))).containsExactly("payload-002", "payload-003", "payload-004");
        assertThat(outbox.status().bytes()).isEqualTo(3 * 14);
        assertThat(outbox.status().droppedTelemetry()).isEqualTo(2);
    }

    @Test
    void droppedCountersSurviveARestart() {
        Outbox outbox = open(config().maxEntries(1));
        outbox.append(telemetry("a"));
        outbox.append(telemetry("b"));
        Outbox restarted = reopen(outbox, config().maxEntries(1));
        assertThat(restarted.status().droppedTelemetry()).isEqualTo(1);
        assertThat(restarted.status().depth()).isEqualTo(1);
    }

    @Test
    void aCorruptDatabaseIsMovedAsideAndAFreshOutboxStarts() throws Exception {
        byte[] garbage = new byte[8192];
        new java.util.Random(7).nextBytes(garbage);
        Files.write(file(), garbage);

        Outbox outbox = open(config());

        Path aside = dir.resolve("outbox.db.corrupt-20260101T000000Z");
        assertThat(aside).exists().hasBinaryContent(garbage);
        assertThat(outbox.peekOldest(10)).isEmpty();
        Receipt r = outbox.append(telemetry("after"));
        assertThat(r.durable()).isTrue();
        assertThat(bodies(outbox.peekOldest(10))).containsExactly("after");
    }

    @Test
    void aDatabaseWithACorruptPageIsMovedAsideToo() throws Exception {
        Outbox outbox = open(config());
        for (int i = 0; i < 200; i++) {
            outbox.append(telemetry("x".repeat(200) + i));
        }
        outbox.close();
        opened.remove(outbox);
        checkpointAndTruncateWal();
        byte[] bytes = Files.readAllBytes(file());
        assertThat(bytes.length).isGreaterThan(4 * 4096);
        for (int i = 4096 * 2; i < 4096 * 3; i++) { // smash a b-tree page, keep the header valid
            bytes[i] = (byte) 0xA5;
        }
        Files.write(file(), bytes);

        Outbox fresh = open(config());
        assertThat(fresh.peekOldest(10)).isEmpty();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).contains("outbox.db.corrupt-20260101T000000Z");
        }
    }

    private void checkpointAndTruncateWal() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
             Statement s = c.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            s.execute("PRAGMA journal_mode = DELETE");
        }
    }

    @Test
    void aFullDiskSendsAppendsToMemoryReportsItAndWritesThemBackWhenTheDiskRecovers() {
        Outbox outbox = open(config());
        SqliteOutbox sqlite = (SqliteOutbox) outbox;
        outbox.append(telemetry("before"));
        sqlite.onConnection(c -> pragma(c, "PRAGMA max_page_count = 1")); // clamps to the current size: full now

        List<Receipt> receipts = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            receipts.add(outbox.append(telemetry("x".repeat(100) + i)));
        }

        assertThat(receipts).anyMatch(r -> !r.durable());
        assertThat(outbox.status().health()).isInstanceOf(StorageHealth.Degraded.class);
        assertThat(((StorageHealth.Degraded) outbox.status().health()).reason()).contains("SQLITE_FULL");
        assertThat(outbox.status().memoryBuffered()).isPositive();
        assertThat(outbox.peekOldest(1000)).hasSize(301); // buffered entries are visible, in order

        sqlite.onConnection(c -> pragma(c, "PRAGMA max_page_count = 1073741823"));
        clock.advance(Duration.ofSeconds(5));
        outbox.flush();

        assertThat(outbox.status().health()).isInstanceOf(StorageHealth.Healthy.class);
        assertThat(outbox.status().memoryBuffered()).isZero();
        Outbox restarted = reopen(outbox, config());
        List<OutboxEntry> all = restarted.peekOldest(1000);
        assertThat(all).hasSize(301);
        assertThat(seqs(all)).isSorted().doesNotHaveDuplicates();
        assertThat(all.get(300).seq() - all.get(0).seq()).isEqualTo(300);
        assertThat(restarted.status().dropped()).isZero();
    }

    @Test
    void aFullDiskDoesNotRetryBeforeTheRetryIntervalButDeletesStillGoThrough() {
        Outbox outbox = open(config());
        SqliteOutbox sqlite = (SqliteOutbox) outbox;
        long first = outbox.append(telemetry("first")).seq();
        sqlite.onConnection(c -> pragma(c, "PRAGMA max_page_count = 1"));
        Receipt buffered = Stream.generate(() -> outbox.append(telemetry("y".repeat(500))))
                .limit(100).filter(r -> !r.durable()).findFirst().orElseThrow();
        sqlite.onConnection(c -> pragma(c, "PRAGMA max_page_count = 1073741823"));

        outbox.acknowledge(first);
        assertThat(outbox.append(telemetry("z")).durable()).isFalse(); // retry not due yet
        assertThat(seqs(outbox.peekOldest(1))).doesNotContain(first);

        clock.advance(Duration.ofSeconds(5));
        assertThat(outbox.append(telemetry("w")).durable()).isTrue();
        assertThat(outbox.peek(buffered.seq() - 1, 1).get(0).seq()).isEqualTo(buffered.seq());
    }

    @Test
    void whenTheMemoryBufferOverflowsTheOldestBufferedTelemetryIsDroppedAndCounted() {
        Outbox outbox = open(config().memoryBuffer(3, 1 << 20));
        SqliteOutbox sqlite = (SqliteOutbox) outbox;
        outbox.append(telemetry("disk"));
        sqlite.onConnection(c -> pragma(c, "PRAGMA max_page_count = 1"));
        // fill until the disk refuses, then the memory buffer takes over
        int n = 0;
        while (outbox.append(telemetry("fill" + n++ + "-" + "z".repeat(400))).durable()) {
            assertThat(n).isLessThan(1000);
        }
        long droppedBefore = outbox.status().droppedTelemetry();
        outbox.append(event("e1"));
        outbox.append(telemetry("m1"));
        outbox.append(telemetry("m2"));
        outbox.append(telemetry("m3"));

        assertThat(outbox.status().memoryBuffered()).isEqualTo(3);
        List<String> tail = bodies(outbox.peekOldest(10_000));
        assertThat(tail.subList(tail.size() - 3, tail.size())).containsExactly("e1", "m2", "m3");
        assertThat(outbox.status().droppedTelemetry() - droppedBefore).isEqualTo(2);
    }

    @Test
    void checkpointsSavedWhileTheDiskIsFullAreWrittenWhenItRecovers() {
        Outbox outbox = open(config());
        SqliteOutbox sqlite = (SqliteOutbox) outbox;
        sqlite.onConnection(c -> pragma(c, "PRAGMA max_page_count = 1"));
        while (outbox.append(telemetry("q".repeat(1000))).durable()) {
            assertThat(outbox.status().depth()).isLessThan(1000);
        }
        outbox.checkpoints().save("big", 1, "c".repeat(20_000)).join();
        sqlite.onConnection(c -> pragma(c, "PRAGMA max_page_count = 1073741823"));
        clock.advance(Duration.ofSeconds(5));
        outbox.flush();

        Outbox restarted = reopen(outbox, config());
        assertThat(restarted.checkpoints().load("big").orElseThrow().text()).hasSize(20_000);
    }

    @Test
    void anEncoderThatThrowsFailsOnlyItsOwnAppendAndConsumesNoSequenceNumber() {
        Outbox outbox = open(config());
        long a = outbox.append(telemetry("a")).seq();
        assertThatThrownBy(() -> outbox.append(NewEntry.telemetry("t/x", seq -> {
            throw new IllegalArgumentException("bad sample");
        }))).isInstanceOf(IllegalArgumentException.class).hasMessage("bad sample");
        assertThat(outbox.append(telemetry("b")).seq()).isEqualTo(a + 1);
    }

    @Test
    void appendListenersRunAfterTheEntriesAreVisible() {
        Outbox outbox = open(config());
        List<Integer> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        outbox.onAppended(() -> seen.add((int) outbox.status().depth()));
        outbox.append(telemetry("a"));
        assertThat(seen).containsExactly(1);
    }

    @Test
    void aClosedOutboxRefusesAppends() {
        Outbox outbox = open(config());
        outbox.close();
        assertThatThrownBy(() -> outbox.append(telemetry("late"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theDatabaseIsInWalModeWithTheDocumentedSchema() throws Exception {
        Outbox outbox = open(config());
        outbox.append(telemetry("a"));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
             Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("wal");
            }
            try (ResultSet rs = s.executeQuery("SELECT kind, qos, topic, CAST(payload AS TEXT) FROM outbox")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("telemetry");
                assertThat(rs.getString(4)).isEqualTo("a");
            }
        }
    }

    private static void pragma(Connection c, String sql) throws java.sql.SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Test
    void anAppendLargerThanMaxMessageBytesIsRefusedAtOnceCountedAndUsesNoSequenceNumber() {
        Outbox outbox = open(config().maxMessageBytes(64));
        long first = outbox.append(telemetry("small")).seq();
        assertThatThrownBy(() -> outbox.append(telemetry("x".repeat(100))))
                .isInstanceOf(OutboxException.class).hasMessageContaining("maxMessageBytes");
        long next = outbox.append(telemetry("small")).seq();
        assertThat(next).isEqualTo(first + 1);
        assertThat(outbox.status().rejected()).isEqualTo(1);
        Outbox again = reopen(outbox, config().maxMessageBytes(64));
        assertThat(again.status().rejected()).isEqualTo(1);
    }

    @Test
    void aRejectedEntryMovesToTheDeadLetterTableAndTheCounterSurvivesARestart() throws Exception {
        Outbox outbox = open(config().maxDeadLetters(2));
        List<Long> seqs = IntStream.range(0, 5).mapToObj(i -> outbox.append(telemetry("v" + i)).seq()).toList();
        outbox.reject(seqs.get(1), 0x87, "not authorized");
        assertThat(outbox.peekOldest(10)).extracting(OutboxEntry::seq)
                .containsExactly(seqs.get(0), seqs.get(2), seqs.get(3), seqs.get(4));
        outbox.reject(seqs.get(2), 0x97, "quota exceeded");
        outbox.reject(seqs.get(3), 0x99, "payload format invalid");
        outbox.reject(seqs.get(3), 0x99, "twice"); // ignored
        outbox.flush();
        assertThat(outbox.status().rejected()).isEqualTo(3);
        assertThat(outbox.status().depth()).isEqualTo(2);
        Outbox again = reopen(outbox, config());
        assertThat(again.status().rejected()).isEqualTo(3);
        assertThat(again.peekOldest(10)).extracting(OutboxEntry::seq).containsExactly(seqs.get(0), seqs.get(4));
        List<Long> dead = new ArrayList<>();
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file());
             ResultSet rs = db.createStatement().executeQuery(
                     "SELECT seq, reason_code, CAST(payload AS TEXT) FROM dead_letter ORDER BY seq")) {
            while (rs.next()) {
                dead.add(rs.getLong(1));
            }
        }
        assertThat(dead).containsExactly(seqs.get(2), seqs.get(3)); // bounded: the oldest dead letter went
    }
}
