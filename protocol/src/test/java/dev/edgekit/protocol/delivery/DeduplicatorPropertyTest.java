package dev.edgekit.protocol.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.LongStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class DeduplicatorPropertyTest {

    private record Arrival(long seq, double key) {
    }

    /**
     * Arrivals of {@code seqs}, each 1..maxCopies times, each copy displaced by less than {@code window}
     * positions: reordering within the window.
     */
    private static List<Long> arrivals(List<Long> seqs, int window, int maxCopies, Random random) {
        List<Arrival> all = new ArrayList<>();
        for (long seq : seqs) {
            int copies = 1 + random.nextInt(maxCopies);
            for (int c = 0; c < copies; c++) {
                all.add(new Arrival(seq, seq + random.nextDouble() * window));
            }
        }
        all.sort(Comparator.comparingDouble(Arrival::key));
        return all.stream().map(Arrival::seq).toList();
    }

    @Property
    void everySequenceIsDeliveredExactlyOnceUnderDuplicationAndReorderingWithinTheWindow(
            @ForAll @IntRange(min = 1, max = 400) int count,
            @ForAll @IntRange(min = 1, max = 130) int window,
            @ForAll @IntRange(min = 1, max = 4) int maxCopies,
            @ForAll @LongRange(min = 1, max = 1L << 52) long start,
            @ForAll long seed) {
        List<Long> seqs = LongStream.range(start, start + count).boxed().toList();
        List<long[]> gaps = new ArrayList<>();
        Deduplicator dedup = Deduplicator.create(window, (d, from, to) -> gaps.add(new long[] {from, to}));

        List<Long> delivered = new ArrayList<>();
        for (long seq : arrivals(seqs, window, maxCopies, new Random(seed))) {
            if (dedup.accept("dev", seq) == Verdict.FRESH) {
                delivered.add(seq);
            }
        }

        assertThat(delivered).doesNotHaveDuplicates();
        assertThat(delivered).containsExactlyInAnyOrderElementsOf(seqs);
        assertThat(gaps).isEmpty();
        dedup.settle("dev");
        assertThat(gaps).isEmpty();
    }

    @Property
    void withLossesEveryArrivingSequenceIsDeliveredOnceAndExactlyTheLostOnesInsideTheStreamAreReported(
            @ForAll @IntRange(min = 2, max = 300) int count,
            @ForAll @IntRange(min = 1, max = 100) int window,
            @ForAll @IntRange(min = 0, max = 60) int lossPercent,
            @ForAll @LongRange(min = 1, max = 1L << 40) long start,
            @ForAll long seed) {
        Random random = new Random(seed);
        List<Long> sent = new ArrayList<>();
        TreeSet<Long> lost = new TreeSet<>();
        for (long seq = start; seq < start + count; seq++) {
            if (random.nextInt(100) < lossPercent) {
                lost.add(seq);
            } else {
                sent.add(seq);
            }
        }
        if (sent.isEmpty()) {
            sent.add(start);
            lost.remove(start);
        }
        TreeSet<Long> reported = new TreeSet<>();
        Deduplicator dedup = Deduplicator.create(window, (d, from, to) -> {
            for (long s = from; s <= to; s++) {
                assertThat(reported.add(s)).as("reported once: %d", s).isTrue();
            }
        });

        List<Long> delivered = new ArrayList<>();
        TreeSet<Long> arrived = new TreeSet<>();
        long highest = Long.MIN_VALUE;
        for (long seq : arrivals(sent, window, 3, random)) {
            if (dedup.accept("dev", seq) == Verdict.FRESH) {
                delivered.add(seq);
            }
            arrived.add(seq);
            highest = Math.max(highest, seq);
            // holes: the numbers inside the window, from the lowest that arrived, neither arrived nor reported
            long low = Math.max(highest - window + 1, arrived.first());
            long holes = 0;
            for (long p = low; p <= highest; p++) {
                if (!arrived.contains(p) && !reported.contains(p)) {
                    holes++;
                }
            }
            assertThat(dedup.stats("dev").orElseThrow().holes()).as("holes after %d", seq).isEqualTo(holes);
        }
        dedup.settle("dev");

        assertThat(delivered).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(sent);
        long first = sent.get(0);
        long last = sent.get(sent.size() - 1);
        assertThat(reported).containsExactlyElementsOf(lost.subSet(first, true, last, true));
        SequenceStats stats = dedup.stats("dev").orElseThrow();
        assertThat(stats.missing()).isEqualTo(reported.size());
        assertThat(stats.fresh()).isEqualTo(sent.size());
        assertThat(stats.holes()).isZero();
    }
}
