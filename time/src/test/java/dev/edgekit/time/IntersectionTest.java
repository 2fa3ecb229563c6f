package dev.edgekit.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class IntersectionTest {
    static Intersection.Candidate c(String id, long offset, long distance) {
        return new Intersection.Candidate(id, offset, distance);
    }

    @Test
    void twoByzantineServersOfFiveAreRejectedAndTheResultLiesInTheTruechimersIntersection() {
        Selection s = Intersection.select(List.of(
                c("a", 10_000, 100_000), c("b", -20_000, 80_000), c("c", 5_000, 150_000),
                c("plus", 100_000_000, 50_000), c("minus", -5_000_000_000L, 50_000)));
        Selection.Selected sel = (Selection.Selected) s;
        assertThat(sel.falsetickers()).containsExactlyInAnyOrder("plus", "minus");
        assertThat(sel.survivors()).containsExactlyInAnyOrder("a", "b", "c");
        // truechimers' intersection: [max(lows), min(highs)] = [−90 µs, 60 µs]
        assertThat(sel.lowNanos()).isEqualTo(-90_000);
        assertThat(sel.highNanos()).isEqualTo(60_000);
        assertThat(sel.offsetNanos()).isBetween(-90_000L, 60_000L);
        assertThat(sel.systemPeer()).isEqualTo("b");
    }

    @Test
    void survivorsAreCombinedWeightedByOneOverRootDistance() {
        Selection.Selected sel = (Selection.Selected) Intersection.select(List.of(c("near", 0, 10_000), c("far", 9_000, 90_000)));
        // weights 1/10 and 1/90: (0·9 + 9000·1) / 10 = 900
        assertThat(sel.offsetNanos()).isEqualTo(900);
    }

    @Test
    void withHalfOrMoreWrongSelectionRefusesAndSaysWhy() {
        assertThat(Intersection.select(List.of(c("a", 0, 1_000), c("b", 0, 1_000), c("x", 100_000_000, 1_000),
                c("y", -5_000_000_000L, 1_000)))).isEqualTo(new Selection.Refused(Selection.Reason.NO_MAJORITY, 4));
        assertThat(Intersection.select(List.of(c("a", 0, 1_000), c("x", 100_000_000, 1_000))))
                .isEqualTo(new Selection.Refused(Selection.Reason.NO_MAJORITY, 2));
        assertThat(Intersection.select(List.of())).isEqualTo(new Selection.Refused(Selection.Reason.NO_CANDIDATES, 0));
    }

    @Property(tries = 500)
    void whileFalsetickersAreAMinorityTheChosenOffsetLiesInsideTheTruechimersInterval(
            @ForAll long seed, @ForAll @IntRange(min = 1, max = 9) int n) {
        SplittableRandom random = new SplittableRandom(seed);
        int liars = (n - 1) / 2;
        long truth = random.nextLong(-1_000_000_000L, 1_000_000_000L);
        List<Intersection.Candidate> candidates = new ArrayList<>();
        long hullLow = Long.MAX_VALUE, hullHigh = Long.MIN_VALUE;
        for (int i = 0; i < n - liars; i++) { // truechimers: intervals that contain the truth
            // λ is a worst case: a real estimate's error is usually well inside it
            long distance = random.nextLong(100_000, 1_000_000);
            long offset = truth + random.nextLong(-distance / 2, distance / 2 + 1);
            candidates.add(c("t" + i, offset, distance));
            hullLow = Math.min(hullLow, offset - distance);
            hullHigh = Math.max(hullHigh, offset + distance);
        }
        for (int i = 0; i < liars; i++) { // anything at all, including near-misses and colluding liars
            long offset = random.nextBoolean() ? truth + random.nextLong(-3_000_000, 3_000_000)
                    : random.nextLong(-10_000_000_000L, 10_000_000_000L);
            candidates.add(c("f" + i, offset, random.nextLong(1, 2_000_000)));
        }
        java.util.Collections.shuffle(candidates, new java.util.Random(seed));
        Selection s = Intersection.select(candidates);
        // RFC 5905 may refuse even a minority of liars when too many midpoints fall outside the
        // intersection; it must select most of the time, and whenever it does, it must be right
        Statistics.label("outcome").collect(s.getClass().getSimpleName());
        Statistics.label("outcome").coverage(k -> k.check("Selected").percentage(p -> p > 50));
        if (!(s instanceof Selection.Selected)) return;
        long chosen = ((Selection.Selected) s).offsetNanos();
        assertThat(chosen).isBetween(hullLow, hullHigh);
    }
}
