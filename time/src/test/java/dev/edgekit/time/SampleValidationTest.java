package dev.edgekit.time;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgekit.testkit.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SampleValidationTest {
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    final FakeClock reference = new FakeClock(START);
    final DeviceClock device = DeviceClock.simulated(reference).offset(Duration.ofSeconds(3)).build();
    final DisciplinedClock clock = DisciplinedClock.over(device);
    final TimeSync sync = TimeSync.create(TimeSyncConfig.builder("me", List.of("ref", "other")).burstSize(3).build(), clock,
            java.util.Optional.empty());
    final ServerInfo ref = ServerInfo.primary("ref", 0);
    final long server = Nanos.epochNanos(START);

    private long sendTo(String serverId) {
        for (int i = 0; i < 4; i++) {
            if (sync.nextAction(device.epochNanos()) instanceof PollAction.Send s && s.serverId().equals(serverId)) return s.token();
        }
        throw new AssertionError("no send to " + serverId);
    }

    private RejectReason rejected(Verdict v) {
        assertThat(v).isInstanceOf(Verdict.Rejected.class);
        return ((Verdict.Rejected) v).reason();
    }

    private void assertClockUntouched() {
        assertThat(clock.synchronised()).isFalse();
        assertThat(clock.epochNanos()).isEqualTo(device.epochNanos()); // still the raw device clock, 3 s ahead
        assertThat(clock.errorBound()).isEmpty();
    }

    @Test
    void badRepliesAreRejectedWithAReasonCountedAndNeverMoveTheClock() {
        long d = device.epochNanos(); // 3 s ahead of the server
        long token = sendTo("ref");
        assertThat(rejected(sync.onReply(token + 99, d, server, server, ref, d + 1000))).isEqualTo(RejectReason.UNKNOWN_CORRELATION);
        assertThat(rejected(sync.onReply(token, d, server + 500, server, ref, d + 1000))).isEqualTo(RejectReason.SERVER_TIMESTAMPS_REVERSED);
        token = sendTo("ref");
        assertThat(rejected(sync.onReply(token, d, server, server + 5000, ref, d + 1000))).isEqualTo(RejectReason.NEGATIVE_DELAY);
        token = sendTo("ref");
        assertThat(rejected(sync.onReply(token, d, 0, 0, ref, d + 1000))).isEqualTo(RejectReason.IMPLAUSIBLE_TIMESTAMP);
        reference.advance(Duration.ofSeconds(3)); // timeout of the burst's last exchange, next burst starts
        token = sendTo("ref");
        assertThat(rejected(sync.onReply(token, d, server, server, ServerInfo.primary("impostor", 0), d + 1000)))
                .isEqualTo(RejectReason.UNSELECTED_SERVER);
        token = sendTo("ref");
        assertThat(rejected(sync.onReply(token, d, server, server, new ServerInfo("ref", 2, 0, 0, 0, List.of("ref", "me")), d + 1000)))
                .isEqualTo(RejectReason.LOOP);
        token = sendTo("ref");
        assertThat(rejected(sync.onReply(token, d, server, server, new ServerInfo("ref", 16, 0, 0, 0, List.of("ref")), d + 1000)))
                .isEqualTo(RejectReason.SERVER_UNSYNCHRONISED);
        reference.advance(Duration.ofSeconds(3));
        token = sendTo("ref");
        assertThat(rejected(sync.onReply(token, d, server, server, ref, d + 2_000_000_000L))).isEqualTo(RejectReason.DELAY_TOO_LARGE);
        assertThat(rejected(sync.onReply(token, d, server, server, ref, d + 1000))).isEqualTo(RejectReason.STALE); // answered already
        assertClockUntouched();
        assertThat(sync.rejections()).containsAllEntriesOf(Map.of(RejectReason.UNKNOWN_CORRELATION, 1L,
                RejectReason.NEGATIVE_DELAY, 1L, RejectReason.STALE, 1L, RejectReason.LOOP, 1L));
        assertThat(sync.rejections().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(9);
        assertThat(sync.acceptedSamples()).isZero();
    }

    @Test
    void aGoodBurstIsAcceptedAndStepsTheClockOnceOnItsLeastDelaySample() {
        long[] oneWayMillis = {7, 1, 3}; // the first exchange of a burst is the slow one
        for (int i = 0; i < oneWayMillis.length; i++) {
            long token = sendTo("ref");
            long t1 = device.epochNanos();
            reference.advance(Duration.ofMillis(oneWayMillis[i]));
            long t2 = Nanos.epochNanos(reference.instant());
            reference.advance(Duration.ofMillis(1));
            Verdict v = sync.onReply(token, t1, t2, t2, ref, device.epochNanos());
            assertThat(v).isInstanceOf(Verdict.Accepted.class);
            // the first step waits for the whole burst
            assertThat(((Verdict.Accepted) v).clockUpdated()).isEqualTo(i == oneWayMillis.length - 1);
            assertThat(clock.synchronised()).isEqualTo(i == oneWayMillis.length - 1);
        }
        // stepped on the 1 ms / 1 ms exchange: symmetric, so exact up to the time since
        assertThat(Math.abs(clock.epochNanos() - Nanos.epochNanos(reference.instant()))).isLessThanOrEqualTo(1_000_000);
        assertThat(clock.steps()).isEqualTo(1);
        assertThat(sync.status().state()).isEqualTo(SyncStatus.State.SYNCHRONISED);
        assertThat(sync.status().stratum()).isEqualTo(2);
    }

    @Test
    void aReplyToAnExchangeThatTimedOutIsStale() {
        long token = sendTo("ref");
        long t1 = device.epochNanos();
        reference.advance(Duration.ofSeconds(3));
        sync.nextAction(device.epochNanos()); // the scheduler gives up on it
        assertThat(rejected(sync.onReply(token, t1, server, server, ref, device.epochNanos()))).isEqualTo(RejectReason.STALE);
        assertClockUntouched();
    }
}
