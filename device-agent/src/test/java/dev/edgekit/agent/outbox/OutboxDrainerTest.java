package dev.edgekit.agent.outbox;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.edgekit.testkit.FakeClock;
import dev.edgekit.testkit.ManualScheduler;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxDrainerTest {
    @TempDir
    Path dir;
    private final FakeClock clock = FakeClock.atEpochOf2026();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final FakeBroker broker = new FakeBroker();
    private Outbox outbox;
    private OutboxDrainer drainer;

    /** A publish function whose futures the test completes: PUBACKs in any order, or a dropped connection. */
    static final class FakeBroker implements OutboxDrainer.Publisher {
        final List<Long> publishes = new ArrayList<>();
        final Map<Long, CompletableFuture<Void>> pending = new LinkedHashMap<>();
        final List<Long> delivered = new ArrayList<>();
        boolean refuse;
        int limit = Integer.MAX_VALUE;

        @Override
        public int windowLimit() {
            return limit;
        }

        @Override
        public CompletableFuture<Void> publish(OutboxEntry entry) {
            publishes.add(entry.seq());
            if (refuse) {
                return CompletableFuture.failedFuture(new IOException("not connected (32104)"));
            }
            CompletableFuture<Void> f = new CompletableFuture<>();
            pending.put(entry.seq(), f);
            return f;
        }

        void puback(long seq) {
            delivered.add(seq);
            pending.remove(seq).complete(null);
        }

        void pubackAll() {
            new ArrayList<>(pending.keySet()).forEach(this::puback);
        }

        void disconnect() {
            List<CompletableFuture<Void>> all = new ArrayList<>(pending.values());
            pending.clear();
            all.forEach(f -> f.completeExceptionally(new IOException("connection lost")));
        }
    }

    @BeforeEach
    void open() {
        outbox = Outbox.open(OutboxConfig.builder(dir.resolve("outbox.db")).clock(clock).build());
    }

    @AfterEach
    void close() {
        if (drainer != null) {
            drainer.close();
        }
        outbox.close();
    }

    /**
     * The outbox as the drainer sees it. {@code gate == null}: reads complete at once (the interface's default
     * {@code peekAsync}), so one {@code runReady} covers a whole step; with a gate, each read waits for the test.
     */
    final class Reads implements Outbox {
        final List<Integer> limits = new ArrayList<>();
        final List<CompletableFuture<Void>> gates = new ArrayList<>();
        boolean async;
        boolean gated;

        @Override
        public Receipt append(NewEntry entry) {
            return outbox.append(entry);
        }

        @Override
        public CompletableFuture<Receipt> appendAsync(NewEntry entry) {
            return outbox.appendAsync(entry);
        }

        @Override
        public List<OutboxEntry> peek(long afterSeq, int limit) {
            limits.add(limit);
            return outbox.peek(afterSeq, limit);
        }

        @Override
        public CompletableFuture<List<OutboxEntry>> peekAsync(long afterSeq, int limit) {
            if (gated) {
                limits.add(limit);
                CompletableFuture<Void> gate = new CompletableFuture<>();
                gates.add(gate);
                return gate.thenCompose(x -> outbox.peekAsync(afterSeq, limit));
            }
            if (async) {
                limits.add(limit);
                return outbox.peekAsync(afterSeq, limit); // completes on the outbox's writer thread
            }
            return Outbox.super.peekAsync(afterSeq, limit);
        }

        @Override
        public void acknowledge(long seq) {
            outbox.acknowledge(seq);
        }

        @Override
        public void reject(long seq, int reasonCode, String reason) {
            outbox.reject(seq, reasonCode, reason);
        }

        @Override
        public void flush() {
            outbox.flush();
        }

        @Override
        public OutboxStatus status() {
            return outbox.status();
        }

        @Override
        public CheckpointStore checkpoints() {
            return outbox.checkpoints();
        }

        @Override
        public void onAppended(Runnable listener) {
            outbox.onAppended(listener);
        }

        @Override
        public void close() {
            outbox.close();
        }
    }

    private final Reads reads = new Reads();

    private void start(int window) {
        drainer = OutboxDrainer.start(reads, broker, scheduler, DrainerConfig.defaults().withWindow(window)
                .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(2), 0, RandomGenerator.getDefault()));
        scheduler.runReady();
    }

    private List<Long> append(int n) {
        List<Long> seqs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            seqs.add(outbox.append(NewEntry.of("t/x", EntryKind.TELEMETRY, ("v" + i).getBytes(UTF_8))).seq());
        }
        scheduler.runReady();
        return seqs;
    }

    private List<Long> undelivered() {
        return outbox.peekOldest(1000).stream().map(OutboxEntry::seq).toList();
    }

    @Test
    void publishesInOrderAndNeverMoreThanTheWindowAwaitsPuback() {
        start(3);
        List<Long> seqs = append(10);
        assertThat(broker.publishes).containsExactlyElementsOf(seqs.subList(0, 3));

        broker.puback(seqs.get(0));
        scheduler.runReady();
        assertThat(broker.publishes).containsExactlyElementsOf(seqs.subList(0, 4));
        assertThat(drainer.stats().inFlight()).isEqualTo(3);
    }

    @Test
    void aBrokerThatTakesFewerPublishesAtOnceNarrowsTheWindowAndALargerOneWidensItAgain() {
        broker.limit = 2; // e.g. a receive maximum of 6, less what the session keeps for births and replies
        start(8);
        List<Long> seqs = append(10);
        assertThat(broker.publishes).containsExactlyElementsOf(seqs.subList(0, 2));

        broker.limit = Integer.MAX_VALUE; // reconnected to a broker that takes more
        broker.pubackAll();
        scheduler.runReady();
        assertThat(drainer.stats().inFlight()).isGreaterThan(2).isLessThanOrEqualTo(8);

        broker.limit = 0; // nonsense from a broker: one at a time, never none
        while (!broker.pending.isEmpty()) {
            broker.pubackAll();
            scheduler.runReady();
            assertThat(drainer.stats().inFlight()).isLessThanOrEqualTo(1);
        }
        assertThat(broker.delivered).containsExactlyElementsOf(seqs);
    }

    @Test
    void anEntryLeavesTheOutboxOnlyAfterItsPuback() {
        start(8);
        List<Long> seqs = append(3);
        assertThat(broker.publishes).hasSize(3);
        assertThat(undelivered()).containsExactlyElementsOf(seqs);

        broker.puback(seqs.get(1));
        scheduler.runReady();
        assertThat(undelivered()).containsExactly(seqs.get(0), seqs.get(2));
    }

    @Test
    void pubacksOutOfOrderDeleteTheirOwnEntriesAndPublishingStaysInOrder() {
        start(3);
        List<Long> seqs = append(6);
        broker.puback(seqs.get(2));
        broker.puback(seqs.get(1));
        scheduler.runReady();
        assertThat(broker.publishes).containsExactlyElementsOf(seqs.subList(0, 5));
        broker.puback(seqs.get(0));
        scheduler.runReady();
        assertThat(broker.publishes).containsExactlyElementsOf(seqs);
        broker.pubackAll();
        scheduler.runReady();
        assertThat(undelivered()).isEmpty();
        assertThat(drainer.stats().acknowledged()).isEqualTo(6);
    }

    @Test
    void entriesAppendedLaterWakeTheDrainer() {
        start(8);
        assertThat(broker.publishes).isEmpty();
        List<Long> seqs = append(2);
        assertThat(broker.publishes).containsExactlyElementsOf(seqs);
    }

    @Test
    void afterAConnectionLossItWaitsThenResendsFromTheOldestUndeliveredInOrder() {
        start(4);
        List<Long> seqs = append(6);
        broker.puback(seqs.get(1));
        broker.disconnect();
        scheduler.runReady();
        assertThat(drainer.stats().backingOff()).isTrue();
        int before = broker.publishes.size();

        scheduler.advance(Duration.ofMillis(99));
        assertThat(broker.publishes).hasSize(before);
        scheduler.advance(Duration.ofMillis(1));

        List<Long> resent = broker.publishes.subList(before, broker.publishes.size());
        assertThat(resent).containsExactly(seqs.get(0), seqs.get(2), seqs.get(3), seqs.get(4));
        broker.pubackAll();
        scheduler.runReady();
        broker.pubackAll();
        scheduler.runReady();
        assertThat(undelivered()).isEmpty();
    }

    @Test
    void theBackoffDoublesUpToItsMaximumWhileTheBrokerStaysAway() {
        start(2);
        broker.refuse = true;
        append(1);
        List<Duration> gaps = new ArrayList<>();
        var last = clock.instant();
        for (int i = 0; i < 7; i++) {
            int before = broker.publishes.size();
            while (broker.publishes.size() == before) {
                scheduler.advance(Duration.ofMillis(10));
            }
            gaps.add(Duration.between(last, clock.instant()));
            last = clock.instant();
        }
        assertThat(gaps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400),
                Duration.ofMillis(800), Duration.ofMillis(1600), Duration.ofMillis(2000), Duration.ofMillis(2000));
    }

    @Test
    void connectionRestoredResendsAtOnceAndResetsTheBackoff() {
        start(2);
        broker.refuse = true;
        List<Long> seqs = append(1);
        scheduler.advance(Duration.ofMillis(100)); // second failure: next wait 200 ms
        assertThat(broker.publishes).hasSize(2);

        broker.refuse = false;
        drainer.connectionRestored();
        scheduler.runReady();
        assertThat(broker.publishes).hasSize(3);
        broker.puback(seqs.get(0));
        scheduler.runReady();
        assertThat(undelivered()).isEmpty();
        assertThat(drainer.stats().backingOff()).isFalse();
    }

    @Test
    void aLatePubackFromBeforeTheFailureStillDeletesItsEntry() {
        start(4);
        List<Long> seqs = append(2);
        CompletableFuture<Void> first = broker.pending.remove(seqs.get(0));
        broker.disconnect(); // fails only the second
        scheduler.runReady();
        first.complete(null); // PUBACK of the first arrives late
        scheduler.runReady();
        assertThat(undelivered()).containsExactly(seqs.get(1));
    }

    @Test
    void firstPublishesAreAlwaysInSequenceOrderUnderRandomAcksAndFailures() {
        Random random = new Random(42);
        start(5);
        List<Long> seqs = append(200);
        long highestFirstPublish = Long.MIN_VALUE;
        java.util.Set<Long> published = new java.util.HashSet<>();
        int seen = 0;
        for (int step = 0; step < 10_000 && !undelivered().isEmpty(); step++) {
            for (; seen < broker.publishes.size(); seen++) {
                long seq = broker.publishes.get(seen);
                if (published.add(seq)) {
                    assertThat(seq).as("first publish in order").isGreaterThan(highestFirstPublish);
                    assertThat(seqs.indexOf(seq)).isEqualTo(published.size() - 1); // none skipped
                    highestFirstPublish = seq;
                }
            }
            int action = random.nextInt(10);
            if (action == 0) {
                broker.disconnect();
            } else if (!broker.pending.isEmpty()) {
                List<Long> keys = new ArrayList<>(broker.pending.keySet());
                broker.puback(keys.get(random.nextInt(keys.size())));
            }
            scheduler.advance(Duration.ofMillis(50));
        }
        assertThat(undelivered()).isEmpty();
        assertThat(broker.delivered).containsAll(seqs);
    }

    /** Lets the outbox's thread finish what it was given (reads complete there) and runs what it handed back. */
    private void settle() {
        do {
            outbox.flush();
        } while (scheduler.runReady() > 0);
    }

    @Test
    void refillsTheWindowInBatchesOnlyWhenHalfOfItIsFree() {
        reads.async = true;
        start(16);
        settle();
        reads.limits.clear(); // the first look at the empty outbox
        List<Long> seqs = append(100);
        settle();
        assertThat(broker.publishes).containsExactlyElementsOf(seqs.subList(0, 16));
        assertThat(reads.limits).containsExactly(16);

        for (int i = 0; i < 7; i++) { // 7 free slots: below half the window, no read yet
            broker.puback(seqs.get(i));
        }
        settle();
        assertThat(broker.publishes).hasSize(16);
        assertThat(reads.limits).containsExactly(16);

        broker.puback(seqs.get(7)); // 8 free: one read of 8
        settle();
        assertThat(reads.limits).containsExactly(16, 8);
        assertThat(broker.publishes).containsExactlyElementsOf(seqs.subList(0, 24));

        while (!broker.pending.isEmpty()) {
            broker.pubackAll();
            settle();
        }
        assertThat(broker.publishes).containsExactlyElementsOf(seqs); // each once, in order
        assertThat(undelivered()).isEmpty();
        assertThat(reads.limits).allMatch(limit -> limit >= 8);
    }

    @Test
    void aReadNeverBlocksTheSchedulerAndAppendsDuringItAreNotMissed() {
        reads.gated = true;
        start(8);
        assertThat(reads.gates).hasSize(1); // the first read is waiting; runReady returned all the same
        List<Long> first = append(3);
        assertThat(broker.publishes).isEmpty();
        assertThat(reads.gates).hasSize(1); // no second read while one is in progress

        reads.gates.get(0).complete(null);
        settle();
        assertThat(broker.publishes).containsExactlyElementsOf(first);
        // the appends arrived during the read: one more read follows at once
        assertThat(reads.gates).hasSize(2);
        List<Long> more = append(2);
        reads.gates.get(1).complete(null);
        settle();
        if (reads.gates.size() > 2) {
            reads.gates.get(2).complete(null);
            settle();
        }
        assertThat(broker.publishes).containsExactlyElementsOf(java.util.stream.Stream.concat(first.stream(),
                more.stream()).toList());
    }

    @Test
    void aReadThatCompletesAfterAFailureIsDiscardedAndTheResendStartsFromTheOldest() {
        reads.gated = true;
        start(2);
        List<Long> seqs = append(4);
        reads.gates.get(0).complete(null);
        settle();
        assertThat(broker.publishes).containsExactlyElementsOf(seqs.subList(0, 2));
        broker.puback(seqs.get(0));
        settle(); // a read for one slot is waiting at its gate
        broker.disconnect(); // seqs[1] fails: the attempt ends while the read is in progress
        settle();
        reads.gates.get(reads.gates.size() - 1).complete(null);
        settle();
        assertThat(broker.publishes).containsExactlyElementsOf(seqs.subList(0, 2)); // the stale read published nothing
        scheduler.advance(Duration.ofMillis(100));
        reads.gates.get(reads.gates.size() - 1).complete(null);
        settle();
        assertThat(broker.publishes.subList(2, broker.publishes.size())).containsExactly(seqs.get(1), seqs.get(2));
    }

    @Test
    void anEntryRefusedForGoodIsDeadLetteredAndTheNextOnesAreDelivered() throws Exception {
        reads.async = true;
        start(4);
        List<Long> seqs = append(6);
        settle();
        long refused = seqs.get(1);
        broker.pending.remove(refused).completeExceptionally(
                new OutboxDrainer.Refused("broker refused publish to t/x: reason 135", 0x87, null));
        while (!broker.pending.isEmpty()) {
            broker.pubackAll();
            settle();
        }
        assertThat(broker.publishes).containsExactlyElementsOf(seqs); // the refused one once, not retried
        assertThat(broker.delivered).doesNotContain(refused).hasSize(5);
        assertThat(undelivered()).isEmpty();
        assertThat(drainer.stats().rejected()).isEqualTo(1);
        assertThat(drainer.stats().failures()).isZero();
        outbox.flush();
        assertThat(outbox.status().rejected()).isEqualTo(1);
        try (var db = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("outbox.db"));
             var rs = db.createStatement().executeQuery("SELECT seq, reason_code, reason, topic FROM dead_letter")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(refused);
            assertThat(rs.getInt(2)).isEqualTo(0x87);
            assertThat(rs.getString(3)).contains("reason 135");
            assertThat(rs.getString(4)).isEqualTo("t/x");
            assertThat(rs.next()).isFalse();
        }
    }
}
