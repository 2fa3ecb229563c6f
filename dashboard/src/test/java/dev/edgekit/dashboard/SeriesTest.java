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

    @Test
    void aLowerLimitKeepsTheNewestSamplesAndBucketsInOrder() {
        Series s = new Series(600, 100, 10_000);
        for (int i = 0; i < 300; i++) {
            s.add(i * 1000L, i);
        }
        s.add(300_000, 300, 50, 4); // the budget is shared by more series now
        assertThat(s.rawSize()).isEqualTo(50);
        assertThat(s.bucketSize()).isEqualTo(4);
        // the four buckets left all lie inside the raw samples kept, so the window is those 50 samples
        assertThat(s.window(0, 400_000, 1000).values()).hasSize(50).endsWith(299.0, 300.0);
        for (int i = 301; i < 400; i++) { // and stays within it
            s.add(i * 1000L, i, 50, 4);
        }
        assertThat(s.rawSize()).isEqualTo(50);
        assertThat(s.window(350_000, 400_000, 1000).values()).startsWith(350.0).endsWith(399.0).isSorted();
    }

    @Test
    void theDashboardsBudgetSetsHowDeepEverySeriesIs() {
        History.Limits limits = History.Limits.DEFAULT;
        assertThat(limits.depthFor(100)).isEqualTo(new History.Depth(600, 1440)); // a small fleet: full depth
        long full = Series.bytesAt(600, 1440);
        int fitting = (int) (limits.maxBytes() / full);
        assertThat(limits.depthFor(fitting)).isEqualTo(new History.Depth(600, 1440));
        History.Depth thousand = limits.depthFor(6_000); // 1,000 devices, six series each
        assertThat(6_000L * Series.bytesAt(thousand.rawSamples(), thousand.buckets()))
                .isLessThanOrEqualTo(limits.maxBytes());
        assertThat(thousand.rawSamples()).isBetween(100, 600);
        assertThat(limits.depthFor(1_000_000)).isEqualTo(new History.Depth(History.Limits.MIN_DEPTH,
                History.Limits.MIN_DEPTH));
    }
}
