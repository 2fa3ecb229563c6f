package dev.edgekit.protocol.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgekit.testkit.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The laws of hybrid logical clocks (Kulkarni et al. 2014), checked over random histories of two processes whose
 * physical clocks are skewed and step back and forth.
 */
class HybridLogicalClockProperties {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration GUARD = Duration.ofSeconds(5);

    /** One step of a history: which process acts, what it does, and how its physical clock moves first. */
    record Step(int process, boolean send, long clockStepMillis) {
    }

    @Provide
    Arbitrary<List<Step>> histories() {
        Arbitrary<Step> step = Combinators.combine(Arbitraries.integers().between(0, 1), Arbitraries.of(true, false),
                Arbitraries.longs().between(-50, 200)).as(Step::new);
        return step.list().ofMinSize(1).ofMaxSize(200);
    }

    @Property
    void timestampsOfOneProcessStrictlyIncrease(@ForAll("histories") List<Step> history) {
        Run run = new Run();
        HlcTimestamp[] last = {HlcTimestamp.ZERO, HlcTimestamp.ZERO};
        for (Step step : history) {
            HlcTimestamp now = run.apply(step);
            assertThat(now).isGreaterThan(last[step.process()]);
            last[step.process()] = now;
        }
    }

    @Property
    void aReceiveIsAfterTheSendItMerges(@ForAll("histories") List<Step> history) {
        Run run = new Run();
        for (Step step : history) {
            run.apply(step);
            if (step.send()) {
                HlcTimestamp sent = run.lastSent;
                HlcTimestamp received = run.clocks[1 - step.process()].receive(sent);
                assertThat(received).isGreaterThan(sent);
            }
        }
    }

    @Property
    void wallPartStaysWithinTheGuardOfTheLargestPhysicalTimeSeen(@ForAll("histories") List<Step> history) {
        Run run = new Run();
        for (Step step : history) {
            HlcTimestamp now = run.apply(step);
            long maxPhysical = Math.max(run.physical[0].millis(), run.physical[1].millis());
            long own = run.physical[step.process()].millis();
            assertThat(now.wallMillis()).isGreaterThanOrEqualTo(own).isLessThanOrEqualTo(Math.max(maxPhysical,
                    run.highest) );
            assertThat(now.wallMillis() - own).isLessThanOrEqualTo(GUARD.toMillis() + run.maxStepBack);
        }
    }

    @Property
    void aRemoteClockBeyondTheGuardIsRefusedAndChangesNothing(@ForAll("offsets") long aheadMillis) {
        FakeClock physical = new FakeClock(START);
        HybridLogicalClock hlc = new HybridLogicalClock(physical, GUARD, HlcTimestamp.ZERO);
        HlcTimestamp before = hlc.tick();
        HlcTimestamp remote = new HlcTimestamp(physical.millis() + aheadMillis, 0);
        assertThatThrownBy(() -> hlc.receive(remote)).isInstanceOf(HybridLogicalClock.ClockDriftException.class);
        assertThat(hlc.current()).isEqualTo(before);
    }

    @Provide
    Arbitrary<Long> offsets() {
        return Arbitraries.longs().between(GUARD.toMillis() + 1, Duration.ofDays(365).toMillis());
    }

    @Property
    void lamportReceiveIsAfterBothSides(@ForAll("smallLongs") long local, @ForAll("smallLongs") long remote) {
        LamportClock clock = new LamportClock(local, Long.MAX_VALUE); // the law itself, without the trust bound
        long merged = clock.receive(remote);
        assertThat(merged).isGreaterThan(local).isGreaterThan(remote);
        assertThat(clock.tick()).isGreaterThan(merged);
    }

    @Provide
    Arbitrary<Long> smallLongs() {
        return Arbitraries.longs().between(0, Long.MAX_VALUE / 4);
    }

    @Property
    void wireFormRoundTrips(@ForAll("smallLongs") long wall, @ForAll("counters") int logical) {
        HlcTimestamp t = new HlcTimestamp(wall, logical);
        assertThat(HlcTimestamp.parse(t.toString())).isEqualTo(t);
    }

    @Provide
    Arbitrary<Integer> counters() {
        return Arbitraries.integers().between(0, 1 << 20);
    }

    /** Two processes, each with a physical clock that jumps around a shared start. */
    private static final class Run {
        final FakeClock[] physical = {new FakeClock(START), new FakeClock(START.plusMillis(700))};
        final HybridLogicalClock[] clocks = {new HybridLogicalClock(physical[0], GUARD, HlcTimestamp.ZERO),
            new HybridLogicalClock(physical[1], GUARD, HlcTimestamp.ZERO)};
        HlcTimestamp lastSent = HlcTimestamp.ZERO;
        long highest;
        long maxStepBack;

        HlcTimestamp apply(Step step) {
            FakeClock clock = physical[step.process()];
            clock.set(clock.instant().plusMillis(step.clockStepMillis()));
            maxStepBack = Math.max(maxStepBack, -step.clockStepMillis() * 200);
            highest = Math.max(highest, clock.millis());
            HlcTimestamp now = clocks[step.process()].tick();
            if (step.send()) {
                lastSent = now;
            }
            return now;
        }
    }
}
