package dev.edgekit.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ClockFilterTest {
    private static final long SECOND = 1_000_000_000L;
    private static final double NO_PRIOR = Nanos.ppm(500);
    private static final double WANDER = Nanos.ppm(1);

    private static TimeSample sample(long localNanos, long offsetNanos, long delayNanos) {
        return new TimeSample("s", 1, offsetNanos, delayNanos, 0, localNanos, 0, 0);
    }

    private static void add(ClockFilter filter, TimeSample onlySample) {
        filter.add(List.of(onlySample));
    }

    private static ClockFilter.Estimate estimate(ClockFilter filter, long now) {
        return filter.estimate(now, 0, NO_PRIOR, WANDER).orElseThrow();
    }

    /** With an exactly known frequency (no line can beat it) distance is half the delay, whatever the age. */
    private static ClockFilter.Estimate atKnownFrequency(ClockFilter filter, long now) {
        return filter.estimate(now, 0, 0, WANDER).orElseThrow();
    }

    @Test
    void itKeepsTheNewestSamplesAndNamesTheLeastDistanceOne() {
        ClockFilter filter = new ClockFilter(8);
        long[] delays = {900, 400, 700, 150, 800, 600, 300, 500}; // µs
        for (int i = 0; i < delays.length; i++) add(filter, sample(i * SECOND, 0, delays[i] * 1000));
        assertThat(atKnownFrequency(filter, 8 * SECOND).sample().delayNanos()).isEqualTo(150_000);
        add(filter, sample(8 * SECOND, 0, 200_000)); // the ninth pushes out the oldest, not the best
        assertThat(filter.count()).isEqualTo(8);
        assertThat(atKnownFrequency(filter, 8 * SECOND).sample().delayNanos()).isEqualTo(150_000);
        for (int i = 9; i < 13; i++) add(filter, sample(i * SECOND, 0, 1_000_000)); // the 150 µs sample ages out
        assertThat(atKnownFrequency(filter, 13 * SECOND).sample().delayNanos()).isEqualTo(200_000);
    }

    @Test
    void aLineThroughNoisySamplesGivesTheOffsetNowAndTheFrequency() {
        // device drifts +200 ppm: the raw offset falls 200 µs per second; polls every 16 s, asymmetric-delay noise
        double correction = new FrequencyEstimate(200, 0).correctionRatio();
        SplittableRandom random = new SplittableRandom(7);
        ClockFilter filter = new ClockFilter(32);
        for (int i = 0; i < 32; i++) {
            long local = i * 16 * SECOND;
            long delay = 200_000 + random.nextLong(300_000);
            long noise = random.nextLong(-(delay - 150_000) / 2 - 10_000, (delay - 150_000) / 2 + 10_000);
            add(filter, sample(local, Nanos.scale(correction, local) + noise, delay));
        }
        long now = 32 * 16 * SECOND; // one poll interval after the last sample
        ClockFilter.Estimate e = estimate(filter, now);
        long error = e.offsetAtNowNanos() - Nanos.scale(correction, now);
        assertThat(e.window()).as("the whole window is a line").isEqualTo(32);
        assertThat(Math.abs(error)).as("error, ns").isLessThan(10_000);
        assertThat(e.frequencyRatio()).isCloseTo(correction, offset(Nanos.ppm(0.2)))
                .isCloseTo(correction, offset(e.toleranceRatio() - WANDER)); // within 3σ
        assertThat(e.toleranceRatio()).isGreaterThan(WANDER).isLessThan(Nanos.ppm(1.5));
        assertThat(e.rootDistanceNanos()).as("bound").isGreaterThanOrEqualTo(Math.abs(error));
    }

    @Test
    void samplesAsGoodAsTheBestAverageOutTheirNoiseAndPoorOnesBarelyCount() {
        ClockFilter filter = new ClockFilter(16);
        long[] noise = {20_000, -20_000, -20_000, 20_000, 20_000, -20_000, -20_000, 20_000}; // no slope in it
        for (int i = 0; i < noise.length; i++) add(filter, sample(i * SECOND, noise[i], 200_000));
        long now = 9 * SECOND;
        assertThat(Math.abs(estimate(filter, now).offsetAtNowNanos())).as("estimate, ns").isLessThan(100);
        add(filter, sample(8 * SECOND, 1_000_000, 1_200_000)); // a late, slow exchange 1 ms off
        ClockFilter.Estimate e = estimate(filter, now);
        assertThat(Math.abs(e.offsetAtNowNanos())).as("estimate with it, ns").isLessThan(5_000);
        assertThat(e.sample().delayNanos()).isEqualTo(200_000);
    }

    @Test
    void theExchangesOfAPollAreWeighedByTheirDelaysAndTheWindowCountsPolls() {
        ClockFilter filter = new ClockFilter(4);
        for (int i = 0; i < 6; i++) {
            long t = i * 16 * SECOND;
            // per poll: two clean exchanges ±5 µs around the truth (0) and a slow one 300 µs off
            filter.add(List.of(sample(t, 5_000, 250_000), sample(t + 500_000, -5_000, 250_000),
                    sample(t + 1_000_000, 300_000, 900_000)));
        }
        assertThat(filter.count()).isEqualTo(4);
        ClockFilter.Estimate e = estimate(filter, 6 * 16 * SECOND);
        assertThat(e.window()).isEqualTo(4);
        assertThat(Math.abs(e.offsetAtNowNanos())).as("estimate, ns").isLessThan(3_000);
        assertThat(e.frequencyRatio()).isCloseTo(0, offset(Nanos.ppm(0.05)));
    }

    @Test
    void theNoiseScaleIsAQuarterOfTheMedianExcessDistanceButNoLessThan20Micros() {
        assertThat(ClockFilter.noiseScale(new long[] {0, 10_000, 30_000})).isEqualTo(20_000); // loopback
        assertThat(ClockFilter.noiseScale(new long[] {1_200_000, 0, 800_000, 400_000})).isEqualTo(200_000); // a LAN
    }

    @Test
    void whenTheFrequencyChangesTheWindowShortensToTheSamplesAfterTheBend() {
        // 0 ppm for 24 polls, then the oscillator warms up: +2 ppm for the last 8 (the raw offset bends)
        ClockFilter filter = new ClockFilter(32);
        long poll = 64 * SECOND;
        SplittableRandom random = new SplittableRandom(3);
        long bend = 24 * poll;
        for (int i = 0; i < 32; i++) {
            long local = i * poll;
            long truth = local <= bend ? 0 : Nanos.scale(Nanos.ppm(-2), local - bend);
            add(filter, sample(local, truth + random.nextLong(-3_000, 3_000), 200_000));
        }
        long now = 32 * poll;
        long truthNow = Nanos.scale(Nanos.ppm(-2), now - bend);
        ClockFilter.Estimate e = estimate(filter, now);
        assertThat(e.window()).isLessThan(32);
        assertThat(e.frequencyRatio()).isCloseTo(Nanos.ppm(-2), offset(Nanos.ppm(0.3)));
        assertThat(Math.abs(e.offsetAtNowNanos() - truthNow)).as("error, ns").isLessThan(15_000);
        assertThat(e.rootDistanceNanos()).isGreaterThanOrEqualTo(Math.abs(e.offsetAtNowNanos() - truthNow));
    }

    @Test
    void untilTheLineIsMoreCertainThanThePriorSamplesAreCarriedForwardAtThePriorFrequency() {
        double prior = new FrequencyEstimate(200, 0.5).correctionRatio();
        ClockFilter filter = new ClockFilter(32);
        for (int i = 0; i < 4; i++) { // 4 Hz: a 1 s line cannot beat a ±0.5 ppm prior
            long local = i * SECOND / 4;
            add(filter, sample(local, Nanos.scale(prior, local), i == 0 ? 100_000 : 300_000));
        }
        long now = 2 * SECOND;
        ClockFilter.Estimate e = filter.estimate(now, prior, Nanos.ppm(0.5), WANDER).orElseThrow();
        assertThat(e.window()).isZero();
        assertThat(e.frequencyRatio()).isEqualTo(prior);
        assertThat(Math.abs(e.offsetAtNowNanos() - Nanos.scale(prior, now))).isLessThanOrEqualTo(1);
        // without a prior (±500 ppm) the line is the more certain, and as right
        ClockFilter.Estimate line = estimate(filter, now);
        assertThat(line.window()).isEqualTo(4);
        assertThat(Math.abs(line.offsetAtNowNanos() - Nanos.scale(prior, now))).isLessThanOrEqualTo(1);
    }

    @Test
    void twoSamplesOrSamplesOfOneInstantAreNoLine() {
        ClockFilter filter = new ClockFilter(8);
        assertThat(filter.estimate(0, 0, NO_PRIOR, WANDER)).isEmpty();
        add(filter, sample(0, 1_000, 100_000));
        add(filter, sample(SECOND, 3_000, 100_000));
        assertThat(estimate(filter, SECOND).window()).isZero();
        ClockFilter sameInstant = new ClockFilter(8);
        for (int i = 0; i < 4; i++) add(sameInstant, sample(SECOND, 1_000 * i, 100_000));
        assertThat(estimate(sameInstant, SECOND).window()).isZero();
    }

    @Test
    void threeFarApartSamplesDoNotFoolTheBound() {
        // jqwik's counterexample to a bound that trusted 3σ of a slope fitted through three points
        theTrueOffsetIsAlwaysWithinTheBound(3, 0.0, 1, 1, -2174128L);
    }

    /**
     * The bound law: whatever the samples' errors (each within its ±λ) and however the frequency wanders (within
     * the tolerance the estimate reports, around some constant), the true offset lies within the reported bound.
     */
    @Property(tries = 1000)
    void theTrueOffsetIsAlwaysWithinTheBound(@ForAll @IntRange(min = 1, max = 40) int count,
                                             @ForAll @DoubleRange(min = -300, max = 300) double driftPpm,
                                             @ForAll @IntRange(min = 1, max = 120) int pollSeconds,
                                             @ForAll @IntRange(min = 1, max = 8) int exchangesPerPoll,
                                             @ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        ClockFilter filter = new ClockFilter(32);
        double base = new FrequencyEstimate(driftPpm, 0).correctionRatio();
        double wanderNow = 0; // the oscillator's frequency strays from `base` by at most WANDER
        long local = 0, truth = 0;
        for (int i = 0; i < count; i++) {
            long step = pollSeconds * SECOND + random.nextLong(SECOND);
            wanderNow = Math.max(-WANDER, Math.min(WANDER, wanderNow + random.nextDouble(-0.2, 0.2) * WANDER));
            local += step;
            truth += Nanos.scale(base + wanderNow, step);
            List<TimeSample> poll = new ArrayList<>();
            for (int k = 0, exchanges = 1 + random.nextInt(exchangesPerPoll); k < exchanges; k++) {
                long delay = 100_000 + random.nextLong(2_000_000);
                long error = random.nextLong(-delay / 2, delay / 2 + 1);
                long at = local + k * 2 * delay; // back to back
                poll.add(sample(at, truth + Nanos.scale(base + wanderNow, at - local) + error, delay));
            }
            filter.add(poll);
        }
        long after = SECOND + random.nextLong(pollSeconds * SECOND);
        long truthThen = truth + Nanos.scale(base + wanderNow, after);
        ClockFilter.Estimate e = estimate(filter, local + after);
        assertThat(Math.abs(e.offsetAtNowNanos() - truthThen)).isLessThanOrEqualTo(e.rootDistanceNanos() + 1);
    }
}
