package dev.edgekit.time;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgekit.testkit.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class DisciplinedClockTest {
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    static final ServerInfo REF = ServerInfo.primary("ref", 0);
    final FakeClock reference = new FakeClock(START);

    private long ref() {
        return Nanos.epochNanos(reference.instant());
    }

    /** Tells the clock the truth: target correction = true − device. */
    private void correctToTruth(DisciplinedClock clock, DeviceClock device, long boundNanos) {
        long d = device.epochNanos();
        clock.discipline(d, ref() - d, 0, Nanos.ppm(1), boundNanos, REF, 0);
    }

    @Test
    void beforeTheFirstCorrectionItShowsTheDeviceClockWithNoBound() {
        DeviceClock device = DeviceClock.simulated(reference).offset(Duration.ofSeconds(3)).build();
        DisciplinedClock clock = DisciplinedClock.over(device);
        assertThat(clock.instant()).isEqualTo(START.plusSeconds(3));
        assertThat(clock.errorBound()).isEmpty();
        assertThat(clock.stratum()).isEqualTo(16);
    }

    @Test
    void theFirstCorrectionStepsEvenBackwards() {
        DeviceClock device = DeviceClock.simulated(reference).offset(Duration.ofSeconds(3)).build();
        DisciplinedClock clock = DisciplinedClock.over(device);
        correctToTruth(clock, device, 1_000);
        assertThat(clock.instant()).isEqualTo(START);
        assertThat(clock.steps()).isEqualTo(1);
        assertThat(clock.stratum()).isEqualTo(2);
        assertThat(clock.selectedServer()).contains("ref");
    }

    @Test
    void aSmallCorrectionIsSlewedAtNoMoreThan500Ppm() {
        DeviceClock device = DeviceClock.simulated(reference).build();
        DisciplinedClock clock = DisciplinedClock.over(device);
        correctToTruth(clock, device, 0);
        long d = device.epochNanos();
        clock.discipline(d, 10_000_000, 0, 0, 0, REF, 0); // truth is 10 ms ahead: below the 128 ms threshold
        assertThat(clock.epochNanos() - ref()).isEqualTo(0); // not stepped
        reference.advance(Duration.ofSeconds(10));
        assertThat(clock.epochNanos() - ref()).isEqualTo(5_000_000); // 500 ppm × 10 s
        assertThat(clock.errorBoundNanos()).isEqualTo(5_000_000); // the phase still to slew is in the bound
        reference.advance(Duration.ofSeconds(20));
        assertThat(clock.epochNanos() - ref()).isEqualTo(10_000_000);
        assertThat(clock.steps()).isEqualTo(1);
    }

    @Test
    void aCorrectionBeyondTheStepThresholdSteps() {
        DeviceClock device = DeviceClock.simulated(reference).build();
        DisciplinedClock clock = DisciplinedClock.over(device);
        correctToTruth(clock, device, 0);
        clock.discipline(device.epochNanos(), 200_000_000, 0, 0, 0, REF, 0);
        assertThat(clock.epochNanos() - ref()).isEqualTo(200_000_000);
        assertThat(clock.steps()).isEqualTo(2);
    }

    @Test
    void aBackwardStepAfterTheFirstMakesTheClockStandStillNotRunBack() {
        DeviceClock device = DeviceClock.simulated(reference).build();
        DisciplinedClock clock = DisciplinedClock.over(device);
        correctToTruth(clock, device, 0);
        long before = clock.epochNanos();
        clock.discipline(device.epochNanos(), -1_000_000_000, 0, 0, 0, REF, 0); // truth is 1 s behind
        assertThat(clock.epochNanos()).isEqualTo(before);
        assertThat(clock.errorBoundNanos()).isEqualTo(1_000_000_000); // standing still is counted as error
        reference.advance(Duration.ofMillis(1500));
        assertThat(clock.epochNanos() - ref()).isEqualTo(-1_000_000_000);
    }

    @Test
    void theFrequencyCorrectionCancelsDrift() {
        DeviceClock device = DeviceClock.simulated(reference).driftPpm(200).build();
        DisciplinedClock clock = DisciplinedClock.over(device);
        long d = device.epochNanos();
        clock.discipline(d, ref() - d, new FrequencyEstimate(200, 0).correctionRatio(), 0, 0, REF, 0);
        reference.advance(Duration.ofHours(1));
        assertThat(Math.abs(clock.epochNanos() - ref())).isLessThanOrEqualTo(2);
        assertThat(clock.frequency().driftPpm()).isCloseTo(200, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void inHoldoverTheBoundGrowsAtTheFrequencyTolerance() {
        DeviceClock device = DeviceClock.simulated(reference).build();
        DisciplinedClock clock = DisciplinedClock.over(device);
        long d = device.epochNanos();
        clock.discipline(d, ref() - d, 0, Nanos.ppm(15), 50_000, REF, 0);
        reference.advance(Duration.ofMinutes(10));
        assertThat(clock.errorBoundNanos()).isEqualTo(50_000 + 9_000_000); // 15 ppm × 600 s
    }

    @Test
    void aBerkeleyAdjustmentShiftsTheClockByTheGivenAmount() {
        DeviceClock device = DeviceClock.simulated(reference).offset(Duration.ofSeconds(2)).build();
        DisciplinedClock clock = DisciplinedClock.over(device);
        clock.adjust("master", Duration.ofSeconds(-2), Duration.ofMillis(1)); // first: stepped
        assertThat(clock.epochNanos()).isEqualTo(ref());
        clock.adjust("master", Duration.ofMillis(3), Duration.ofMillis(1)); // slewed
        reference.advance(Duration.ofSeconds(6));
        assertThat(clock.epochNanos() - ref()).isEqualTo(3_000_000);
        assertThat(clock.stratum()).isEqualTo(15);
    }

    @Test
    void whenServingItClaimsOneStratumMoreThanItsSourceAndExtendsTheChain() {
        DeviceClock device = DeviceClock.simulated(reference).build();
        DisciplinedClock clock = DisciplinedClock.over(device);
        ServerInfo source = new ServerInfo("s2", 2, 300_000, 50_000, 1_000, List.of("s2", "s1"));
        long d = device.epochNanos();
        clock.discipline(d, ref() - d, 0, 0, 400_000, source, 500_000);
        ServerInfo served = clock.serverInfo("me");
        assertThat(served.stratum()).isEqualTo(3);
        assertThat(served.referenceChain()).containsExactly("me", "s2", "s1");
        assertThat(served.rootDelayNanos()).isEqualTo(500_000);
        assertThat(served.rootDelayNanos() / 2 + served.rootDispersionNanos()).isEqualTo(clock.errorBoundNanos());
    }

    @Test
    void aReferenceClockServesAtStratumOne() {
        DisciplinedClock ref = DisciplinedClock.reference(DeviceClock.simulated(reference).build(), SimulatedNetwork.micros(10));
        assertThat(ref.serverInfo("gps").stratum()).isEqualTo(1);
        assertThat(ref.serverInfo("gps").synchronised()).isTrue();
    }

    @Property(tries = 200)
    void readingsNeverDecreaseAfterTheFirstStep(@ForAll long seed, @ForAll @IntRange(min = 1, max = 60) int operations,
                                                @ForAll @LongRange(min = 0, max = 50_000) long jitterNanos) {
        FakeClock ref = new FakeClock(START);
        SplittableRandom random = new SplittableRandom(seed);
        DeviceClock device = DeviceClock.simulated(ref).offset(Duration.ofMillis(random.nextLong(-5000, 5000)))
                .driftPpm(random.nextDouble(-300, 300)).jitter(Duration.ofNanos(jitterNanos), random.split()).build();
        DisciplinedClock clock = DisciplinedClock.over(device);
        long d0 = device.epochNanos();
        clock.discipline(d0, random.nextLong(-10_000_000_000L, 10_000_000_000L), 0, 0, 0, REF, 0);
        long last = clock.epochNanos();
        for (int i = 0; i < operations; i++) {
            switch (random.nextInt(4)) {
                case 0 -> ref.advance(Duration.ofNanos(random.nextLong(0, 2_000_000_000L)));
                case 1 -> clock.discipline(device.epochNanos(), random.nextLong(-1_000_000_000L, 1_000_000_000L),
                        Nanos.ppm(random.nextDouble(-600, 600)), Nanos.ppm(1), 0, REF, 0);
                case 2 -> clock.adjust("m", Duration.ofNanos(random.nextLong(-500_000_000L, 500_000_000L)), Duration.ZERO);
                default -> ref.set(ref.instant().minusNanos(random.nextLong(0, 1_000_000))); // device clock steps back
            }
            long now = clock.epochNanos();
            assertThat(now).isGreaterThanOrEqualTo(last);
            last = now;
        }
    }
}
