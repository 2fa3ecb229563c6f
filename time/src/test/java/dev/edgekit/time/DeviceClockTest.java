package dev.edgekit.time;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgekit.testkit.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DeviceClockTest {
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aSimulatedClockAddsOffsetDriftOverElapsedReferenceTimeAndItsStep() {
        FakeClock ref = new FakeClock(START);
        DeviceClock clock = DeviceClock.simulated(ref).offset(Duration.ofSeconds(10)).driftPpm(200)
                .stepAt(START.plusSeconds(600), Duration.ofSeconds(-2)).build();
        assertThat(clock.instant()).isEqualTo(START.plusSeconds(10));
        ref.advance(Duration.ofSeconds(100));
        assertThat(clock.instant()).isEqualTo(START.plusSeconds(110).plusMillis(20)); // 200 ppm × 100 s
        ref.advance(Duration.ofSeconds(500));
        assertThat(clock.instant()).isEqualTo(START.plusSeconds(608).plusMillis(120));
    }

    @Test
    void readJitterStaysWithinThePrecisionAndIsReproducibleFromTheSeed() {
        FakeClock ref = new FakeClock(START);
        DeviceClock a = DeviceClock.simulated(ref).jitter(Duration.ofNanos(500), new SplittableRandom(7)).build();
        DeviceClock b = DeviceClock.simulated(ref).jitter(Duration.ofNanos(500), new SplittableRandom(7)).build();
        long base = Nanos.epochNanos(START);
        boolean varied = false;
        for (int i = 0; i < 1000; i++) {
            long x = a.epochNanos();
            assertThat(x).isEqualTo(b.epochNanos());
            assertThat(Math.abs(x - base)).isLessThanOrEqualTo(a.precision().toNanos());
            varied |= x != base;
        }
        assertThat(varied).isTrue();
    }

    @Test
    void theSystemClockReadsRealTime() {
        long before = System.currentTimeMillis();
        long read = DeviceClock.system().epochNanos() / 1_000_000;
        assertThat(read).isBetween(before - 1, System.currentTimeMillis() + 1);
    }
}
