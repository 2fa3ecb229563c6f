package dev.edgekit.protocol.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeduplicatorTest {
    private final List<String> gaps = new ArrayList<>();
    private final Deduplicator dedup = Deduplicator.create(8, (d, from, to) -> gaps.add(d + ":" + from + ".." + to));

    @Test
    void aRepeatedSequenceNumberIsADuplicate() {
        assertThat(dedup.accept("a", 10)).isEqualTo(Verdict.FRESH);
        assertThat(dedup.accept("a", 10)).isEqualTo(Verdict.DUPLICATE);
        assertThat(dedup.stats("a").orElseThrow().duplicates()).isEqualTo(1);
    }

    @Test
    void devicesAreTrackedIndependently() {
        dedup.accept("a", 10);
        assertThat(dedup.accept("b", 10)).isEqualTo(Verdict.FRESH);
    }

    @Test
    void aNumberOlderThanTheWindowIsLate() {
        dedup.accept("a", 100);
        assertThat(dedup.accept("a", 92)).isEqualTo(Verdict.LATE);
        assertThat(dedup.accept("a", 93)).isEqualTo(Verdict.FRESH);
    }

    @Test
    void aHoleIsReportedWhenItFallsOutOfTheWindow() {
        dedup.accept("a", 1);
        dedup.accept("a", 2);
        dedup.accept("a", 5);
        dedup.accept("a", 10);
        assertThat(gaps).isEmpty();
        dedup.accept("a", 11);
        assertThat(gaps).containsExactly("a:3..3");
        dedup.accept("a", 13);
        assertThat(gaps).containsExactly("a:3..3", "a:4..4");
    }

    @Test
    void aJumpFarBeyondTheWindowReportsTheWholeRangeOnce() {
        dedup.accept("a", 1);
        dedup.accept("a", 3);
        dedup.accept("a", 1_000_000);
        assertThat(gaps).containsExactly("a:2..2", "a:4..999992");
        assertThat(dedup.stats("a").orElseThrow().missing()).isEqualTo(1 + 999_989);
        assertThat(dedup.stats("a").orElseThrow().holes()).isEqualTo(7);
    }

    @Test
    void numbersBelowTheFirstOneSeenAreNotGapsButAreAcceptedInsideTheWindow() {
        dedup.accept("a", 50);
        assertThat(dedup.accept("a", 48)).isEqualTo(Verdict.FRESH);
        dedup.accept("a", 70);
        assertThat(gaps).containsExactly("a:49..49", "a:51..62");
    }

    @Test
    void settleReportsCurrentHolesAndALateArrivalIsStillAcceptedOnceAsRecovered() {
        dedup.accept("a", 1);
        dedup.accept("a", 4);
        dedup.settle("a");
        assertThat(gaps).containsExactly("a:2..3");
        dedup.settle("a");
        assertThat(gaps).hasSize(1);
        assertThat(dedup.accept("a", 3)).isEqualTo(Verdict.FRESH);
        assertThat(dedup.accept("a", 3)).isEqualTo(Verdict.DUPLICATE);
        dedup.accept("a", 20);
        assertThat(gaps).containsExactly("a:2..3", "a:5..12");
        assertThat(dedup.stats("a").orElseThrow().recovered()).isEqualTo(1);
    }

    @Test
    void forgettingADeviceStartsAFreshStream() {
        dedup.accept("a", 100);
        dedup.forget("a");
        assertThat(dedup.accept("a", 1)).isEqualTo(Verdict.FRESH);
        assertThat(dedup.stats("a").orElseThrow().fresh()).isEqualTo(1);
    }
}
