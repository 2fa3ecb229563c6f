package dev.edgekit.hardware.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SignalsTest {
    private static final Instant MIDNIGHT = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aDailyCyclePeaksAtItsPeakTimeAndBottomsTwelveHoursLater() {
        Signal cycle = Signals.dailyCycle(20, 5, LocalTime.of(15, 0));

        assertThat(cycle.sample(MIDNIGHT.plus(Duration.ofHours(15)))).isCloseTo(25, within(1e-9));
        assertThat(cycle.sample(MIDNIGHT.plus(Duration.ofHours(3)))).isCloseTo(15, within(1e-9));
        assertThat(cycle.sample(MIDNIGHT.plus(Duration.ofHours(39)))).isCloseTo(25, within(1e-9));
    }

    @Test
    void theSameSeedGivesTheSameSignal() {
        Signal a = Signals.randomWalk(10, 1, new SplittableRandom(4)).plus(Signals.noise(0.1, new SplittableRandom(5)));
        Signal b = Signals.randomWalk(10, 1, new SplittableRandom(4)).plus(Signals.noise(0.1, new SplittableRandom(5)));

        for (int i = 0; i < 100; i++) {
            Instant t = MIDNIGHT.plusSeconds(60L * i);
            assertThat(a.sample(t)).isEqualTo(b.sample(t));
        }
    }

    @Test
    void noiseHasTheRequestedSpread() {
        Signal noise = Signals.noise(0.5, new SplittableRandom(11));
        double sum = 0, sumSq = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            double v = noise.sample(MIDNIGHT);
            sum += v;
            sumSq += v * v;
        }
        double mean = sum / n;

        assertThat(mean).isCloseTo(0, within(0.02));
        assertThat(Math.sqrt(sumSq / n - mean * mean)).isCloseTo(0.5, within(0.02));
    }

    @Test
    void aRandomWalksSpreadAfterAnHourDoesNotDependOnHowOftenItIsSampled() {
        double coarse = spreadAfterOneHour(Duration.ofMinutes(30));
        double fine = spreadAfterOneHour(Duration.ofSeconds(10));

        assertThat(coarse).isCloseTo(2.0, within(0.1));
        assertThat(fine).isCloseTo(2.0, within(0.1));
    }

    @Test
    void aRandomWalkDoesNotMoveWhenTimeDoesNot() {
        Signal walk = Signals.randomWalk(3, 1, new SplittableRandom(1));

        assertThat(walk.sample(MIDNIGHT)).isEqualTo(3);
        assertThat(walk.sample(MIDNIGHT)).isEqualTo(3);
        assertThat(walk.sample(MIDNIGHT.minusSeconds(10))).isEqualTo(3);
    }

    @Test
    void clampingBoundsASignal() {
        assertThat(Signals.constant(120).clamped(0, 100).sample(MIDNIGHT)).isEqualTo(100);
    }

    private static double spreadAfterOneHour(Duration step) {
        SplittableRandom seeds = new SplittableRandom(21);
        int runs = 2_000;
        double sumSq = 0;
        for (int r = 0; r < runs; r++) {
            Signal walk = Signals.randomWalk(0, 2.0, seeds.split());
            double v = walk.sample(MIDNIGHT);
            for (Instant t = MIDNIGHT.plus(step); !t.isAfter(MIDNIGHT.plusSeconds(3600)); t = t.plus(step)) {
                v = walk.sample(t);
            }
            sumSq += v * v;
        }
        return Math.sqrt(sumSq / runs);
    }
}
