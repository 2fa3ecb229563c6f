package dev.edgekit.agent.time;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClockFilterTest {
    private static TimeSample sample(long localNanos, long offsetNanos, long delayNanos) {
        return new TimeSample("s", 1, offsetNanos, delayNanos, 0, localNanos, 0, 0);
    }

    @Test
    void itChoosesTheLeastDelaySampleOfTheLastEight() {
        ClockFilter filter = new ClockFilter(8);
        long[] delays = {900, 400, 700, 150, 800, 600, 300, 500};
        for (int i = 0; i < delays.length; i++) filter.add(sample(i * 1_000_000L, i, delays[i]));
        assertThat(filter.select(8_000_000, 0, 0).orElseThrow().sample().delayNanos()).isEqualTo(150);
        filter.add(sample(8_000_000, 8, 200)); // the ninth pushes out the oldest, not the best
        assertThat(filter.count()).isEqualTo(8);
        assertThat(filter.select(8_000_000, 0, 0).orElseThrow().sample().delayNanos()).isEqualTo(150);
        for (int i = 9; i < 13; i++) filter.add(sample(i * 1_000_000L, i, 1000)); // the 150 ns sample ages out
        assertThat(filter.select(13_000_000, 0, 0).orElseThrow().sample().delayNanos()).isEqualTo(200);
    }

    @Test
    void theChosenOffsetIsCarriedForwardWithTheFrequencySoAgeDoesNotBiasIt() {
        // device drifts +200 ppm: raw offset falls 200 µs per second
        double correction = new FrequencyEstimate(200, 0).correctionRatio();
        ClockFilter filter = new ClockFilter(8);
        long second = 1_000_000_000L;
        for (int i = 0; i < 8; i++) {
            long local = i * second / 4; // 4 Hz: the window spans 2 s
            long trueOffset = Nanos.scale(correction, local);
            filter.add(sample(local, trueOffset, i == 0 ? 100_000 : 300_000)); // the oldest is the least-delay one
        }
        long now = 2 * second;
        ClockFilter.Filtered chosen = filter.select(now, correction, 0).orElseThrow();
        long truthNow = Nanos.scale(correction, now);
        assertThat(chosen.sample().localNanos()).isZero();
        assertThat(Math.abs(chosen.offsetAtNowNanos() - truthNow)).isLessThanOrEqualTo(1);
        // without the correction the estimate is hundreds of µs off (the best sample alone: 400 µs)
        long uncorrected = filter.select(now, 0, 0).orElseThrow().offsetAtNowNanos();
        assertThat(Math.abs(uncorrected - truthNow)).isGreaterThan(350_000);
    }

    @Test
    void samplesAsGoodAsTheBestAverageOutTheirNoiseAndPoorOnesBarelyCount() {
        ClockFilter filter = new ClockFilter(16);
        long[] noise = {20_000, -20_000, 10_000, -10_000};
        for (int i = 0; i < noise.length; i++) filter.add(sample(i * 1_000_000L, noise[i], 200_000));
        filter.add(sample(5_000_000, 1_000_000, 1_200_000)); // a late, slow exchange 1 ms off
        ClockFilter.Filtered f = filter.select(6_000_000, 0, 0).orElseThrow();
        assertThat(Math.abs(f.offsetAtNowNanos())).as("estimate, ns").isLessThan(500);
        assertThat(f.sample().delayNanos()).isEqualTo(200_000);
        // the estimate's bound: at least the best sample's distance, and it covers every sample's error here
        assertThat(f.rootDistanceNanos()).isGreaterThanOrEqualTo(100_000).isLessThan(101_000);
    }

    @Test
    void olderSamplesCountLessAsTheFrequencyUncertaintyGrowsTheirDistance() {
        ClockFilter filter = new ClockFilter(16);
        filter.add(sample(0, 50_000, 200_000));          // old: 50 µs off
        filter.add(sample(60_000_000_000L, 0, 200_000)); // a minute later, as good, on time
        long now = 60_000_000_000L;
        long sure = filter.select(now, 0, 0).orElseThrow().offsetAtNowNanos();
        long unsure = filter.select(now, 0, Nanos.ppm(1)).orElseThrow().offsetAtNowNanos(); // 1 ppm: +60 µs of distance
        assertThat(sure).isEqualTo(25_000); // equal weights
        assertThat(unsure).isLessThan(1_100); // weight (10 / 70)² of the new one's
    }
}
