package dev.edgekit.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SeriesTest {
    @Test
    void keepsOnlyTheLastRawSamplesUpToItsCapacity() {
        Series s = new Series(100, 10, 60_000);
        for (int i = 0; i < 1_000; i++) {
            s.add(i * 1000L, i);
        }
        assertThat(s.rawSize()).isEqualTo(100);
        Downsample.Points recent = s.window(900_000, 999_000, 1000);
        assertThat(recent.values()).hasSize(100).startsWith(900.0).endsWith(999.0);
    }

    @Test
    void answersALongWindowFromMinMaxBucketsWhereTheRawSamplesNoLongerReach() {
        Series s = new Series(60, 100, 60_000); // raw: the last minute; buckets: one per minute
        for (int i = 0; i < 600; i++) { // ten minutes at 1 Hz, a spike in the third minute
            s.add(i * 1000L, i == 150 ? 1e6 : 1.0);
        }
        assertThat(s.bucketSize()).isEqualTo(10);
        Downsample.Points all = s.window(0, 600_000, 1000);
        assertThat(all.values()).contains(1e6); // the spike survives in its bucket's max
        assertThat(all.size()).isLessThanOrEqualTo(2 * 9 + 60);
        assertThat(all.times()).isSorted();
    }

    @Test
    void ignoresSamplesOlderThanItsNewestAndNonFiniteValues() {
        Series s = new Series(10, 10, 1000);
        s.add(5000, 1);
        s.add(4000, 2);
        s.add(6000, Double.NaN);
        assertThat(s.window(0, 10_000, 100).values()).containsExactly(1.0);
    }

    @Test
    void dropsTheOldestBucketsBeyondItsCapacity() {
        Series s = new Series(2, 5, 1000);
        for (int i = 0; i < 20; i++) {
            s.add(i * 1000L, i);
        }
        assertThat(s.bucketSize()).isEqualTo(5);
        assertThat(java.util.Arrays.stream(s.window(0, 20_000, 100).times()).min().orElseThrow())
                .isGreaterThanOrEqualTo(15_000);
    }
}
