package dev.edgekit.protocol.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgekit.testkit.FakeClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The two attacks of issue 14 on logical clocks, and what a refused stamp leaves behind. */
class BoundedTrustTest {
    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
    private final FakeClock physical = new FakeClock(NOW);
    private final LogicalClocks clocks = LogicalClocks.startingAt(physical);

    @Test
    void aLamportStampNearLongMaxIsRefusedAndSendingStillWorks() {
        clocks.send();
        Stamp poisoned = new Stamp(Long.MAX_VALUE - 1, new HlcTimestamp(NOW.toEpochMilli(), 0));

        assertThatThrownBy(() -> clocks.receive("intruder", poisoned)).isInstanceOf(StampRefusedException.class)
                .extracting(e -> ((StampRefusedException) e).reason())
                .isEqualTo(StampRefusedException.Reason.LAMPORT_TOO_FAR_AHEAD);
        for (int i = 0; i < 10; i++) {
            assertThat(clocks.send().lamport()).isPositive();
        }
        assertThat(clocks.current().lamport()).isEqualTo(11);
        assertThat(clocks.refusedBySource()).containsEntry("intruder", 1L);
    }

    @Test
    void anHlcStampFiftySecondsAheadIsRefusedAndLeavesBothClocksWhereTheyWere() {
        Stamp before = clocks.send();
        Stamp ahead = new Stamp(before.lamport() + 5, new HlcTimestamp(NOW.plusSeconds(50).toEpochMilli(), 0));

        assertThatThrownBy(() -> clocks.receive("d7", ahead)).isInstanceOf(HybridLogicalClock.ClockDriftException.class);

        assertThat(clocks.current()).isEqualTo(before);
        assertThat(clocks.refusedByReason()).containsEntry(StampRefusedException.Reason.HLC_TOO_FAR_AHEAD, 1L);
    }

    @Test
    void theDefaultMaximumOffsetIsSubSecond() {
        HlcTimestamp justInside = new HlcTimestamp(NOW.toEpochMilli() + 500, 3);
        HlcTimestamp justOutside = new HlcTimestamp(NOW.toEpochMilli() + 501, 0);

        assertThat(clocks.receive(new Stamp(1, justInside)).hlc()).isEqualTo(new HlcTimestamp(justInside.wallMillis(), 4));
        assertThatThrownBy(() -> clocks.receive(new Stamp(1, justOutside)))
                .isInstanceOf(HybridLogicalClock.ClockDriftException.class);
    }

    @Test
    void anHlcLogicalPartNearIntMaxIsRefused() {
        Stamp huge = new Stamp(1, new HlcTimestamp(NOW.toEpochMilli(), Integer.MAX_VALUE));

        assertThatThrownBy(() -> clocks.receive("d1", huge)).isInstanceOf(StampRefusedException.class)
                .extracting(e -> ((StampRefusedException) e).reason())
                .isEqualTo(StampRefusedException.Reason.HLC_LOGICAL_TOO_LARGE);
        assertThat(clocks.send().hlc().logical()).isLessThan(10);
    }

    @Test
    void aLamportClockRestoredAtLongMaxSaturatesInsteadOfOverflowing() {
        LamportClock clock = new LamportClock(Long.MAX_VALUE);

        assertThat(clock.tick()).isEqualTo(Long.MAX_VALUE);
        assertThat(clock.receive(Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void refusalsAreCountedForABoundedNumberOfSources() {
        Stamp bad = new Stamp(-0 + Long.MAX_VALUE, HlcTimestamp.ZERO);
        for (int i = 0; i < LogicalClocks.MAX_SOURCES + 10; i++) {
            String source = "s" + i;
            assertThatThrownBy(() -> clocks.receive(source, bad)).isInstanceOf(StampRefusedException.class);
        }

        assertThat(clocks.refusedBySource()).hasSize(LogicalClocks.MAX_SOURCES + 1)
                .containsEntry(LogicalClocks.OTHER_SOURCES, 10L);
    }

    @Test
    void anHlcWhoseLogicalPartIsExhaustedMovesItsWallOnInsteadOfOverflowing() {
        HybridLogicalClock hlc = new HybridLogicalClock(physical, Duration.ofMillis(500),
                new HlcTimestamp(NOW.toEpochMilli(), Integer.MAX_VALUE));

        HlcTimestamp next = hlc.tick();

        assertThat(next).isEqualTo(new HlcTimestamp(NOW.toEpochMilli() + 1, 0));
    }
}
