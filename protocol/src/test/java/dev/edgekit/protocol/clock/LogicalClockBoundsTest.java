package dev.edgekit.protocol.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgekit.testkit.FakeClock;
import java.time.Duration;
import java.time.Instant;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** One hostile stamp must not poison a clock: the attacks that once stopped a whole fleet, and the edges. */
class LogicalClockBoundsTest {
    private static final Instant START = Instant.parse("2026-12-01T00:00:00Z");

    @Test
    void aLamportValueNearLongMaxIsRefusedAndTheClockKeepsTicking() {
        LamportClock clock = new LamportClock(42);
        assertThatThrownBy(() -> clock.receive(Long.MAX_VALUE - 1)).isInstanceOf(ImplausibleStampException.class)
                .hasMessageContaining("outside");
        assertThat(clock.current()).isEqualTo(42);
        assertThat(clock.tick()).isEqualTo(43);
    }

    @Test
    void aLamportValueTooFarAheadIsRefusedButOneWithinTheJumpIsMerged() {
        LamportClock clock = new LamportClock(1_000, 100);
        assertThatThrownBy(() -> clock.receive(1_101)).isInstanceOf(ImplausibleStampException.class)
                .hasMessageContaining("ahead of ours");
        assertThat(clock.receive(1_100)).isEqualTo(1_101);
    }

    @Test
    void aLamportClockAtLongMaxSaturatesInsteadOfOverflowing() {
        LamportClock clock = new LamportClock(Long.MAX_VALUE);
        assertThat(clock.tick()).isEqualTo(Long.MAX_VALUE);
        assertThat(clock.receive(5)).isEqualTo(Long.MAX_VALUE);
    }

    @Property
    void noSequenceOfReceivesEverTakesALamportClockPastTheCeilingPlusItsOwnTicks(
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long remote) {
        LamportClock clock = new LamportClock(0);
        try {
            clock.receive(remote);
        } catch (ImplausibleStampException refused) {
            assertThat(clock.current()).isZero();
        }
        assertThat(clock.current()).isLessThanOrEqualTo(LamportClock.DEFAULT_MAX_JUMP + 1);
    }

    @Test
    void anHlcFiftySecondsAheadIsRefusedWithTheDefaultGuard() {
        FakeClock physical = new FakeClock(START);
        HybridLogicalClock hlc = new HybridLogicalClock(physical);
        HlcTimestamp before = hlc.tick();
        HlcTimestamp remote = new HlcTimestamp(physical.millis() + 50_000, 0);
        assertThatThrownBy(() -> hlc.receive(remote)).isInstanceOf(ImplausibleStampException.class);
        assertThat(hlc.current()).isEqualTo(before);
    }

    @Test
    void anHlcWithinHalfASecondIsMerged() {
        FakeClock physical = new FakeClock(START);
        HybridLogicalClock hlc = new HybridLogicalClock(physical);
        HlcTimestamp remote = new HlcTimestamp(physical.millis() + 400, 3);
        assertThat(hlc.receive(remote)).isEqualTo(new HlcTimestamp(physical.millis() + 400, 4));
    }

    @Test
    void aHugeLogicalPartIsRefusedSoTheCounterCannotOverflow() {
        FakeClock physical = new FakeClock(START);
        HybridLogicalClock hlc = new HybridLogicalClock(physical);
        HlcTimestamp remote = new HlcTimestamp(physical.millis(), Integer.MAX_VALUE);
        assertThatThrownBy(() -> hlc.receive(remote)).isInstanceOf(ImplausibleStampException.class);
        assertThat(hlc.tick().logical()).isLessThanOrEqualTo(HybridLogicalClock.MAX_LOGICAL);
    }

    @Test
    void aLogicalCounterAtItsBoundMovesTheWallPartOnAndStaysMonotonic() {
        FakeClock physical = new FakeClock(START);
        HybridLogicalClock hlc = new HybridLogicalClock(physical, Duration.ofMillis(500),
                new HlcTimestamp(physical.millis(), HybridLogicalClock.MAX_LOGICAL));
        HlcTimestamp next = hlc.tick();
        assertThat(next).isEqualTo(new HlcTimestamp(physical.millis() + 1, 0));
        assertThat(hlc.tick()).isGreaterThan(next);
    }

    @Test
    void aStampWithAnImplausibleLamportStillMergesItsPlausibleHlc() {
        FakeClock physical = new FakeClock(START);
        LogicalClocks clocks = new LogicalClocks(new LamportClock(10), new HybridLogicalClock(physical));
        HlcTimestamp remote = new HlcTimestamp(physical.millis() + 200, 0);
        assertThatThrownBy(() -> clocks.receive(new Stamp(Long.MAX_VALUE, remote)))
                .isInstanceOf(ImplausibleStampException.class);
        assertThat(clocks.current().hlc()).isGreaterThan(remote);
        assertThat(clocks.current().lamport()).isEqualTo(11);
    }
}
