package dev.edgekit.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DownsampleTest {
    @Test
    void leavesShortSeriesAlone() {
        long[] t = {1, 2, 3};
        double[] v = {3, 1, 2};
        assertThat(Downsample.minMax(t, v, 10).values()).containsExactly(3, 1, 2);
    }

    @Test
    void reducesToAtMostMaxPointsKeepingEveryBucketsExtremesInTimeOrder() {
        int n = 100_000;
        long[] t = IntStream.range(0, n).asLongStream().toArray();
        double[] v = IntStream.range(0, n).mapToDouble(i -> Math.sin(i / 100.0)).toArray();
        v[54_321] = 42;
        v[12_345] = -42;
        Downsample.Points p = Downsample.minMax(t, v, 1000);
        assertThat(p.size()).isLessThanOrEqualTo(1000);
        assertThat(p.values()).contains(42.0, -42.0);
        assertThat(p.times()).isSorted();
    }
}
