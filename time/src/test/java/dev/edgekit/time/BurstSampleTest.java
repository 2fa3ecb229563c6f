package dev.edgekit.time;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgekit.testkit.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What of a burst reaches the clock filter, with exchanges whose one-way delays are set exactly. */
class BurstSampleTest {
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    final FakeClock reference = new FakeClock(START);
    final DeviceClock device = DeviceClock.simulated(reference).build(); // on time: any offset is an error
    final DisciplinedClock clock = DisciplinedClock.over(device);
    final TimeSync sync = TimeSync.create(TimeSyncConfig.builder("me", List.of("ref")).burstSize(3).build(), clock,
            Optional.empty());
    final ServerInfo ref = ServerInfo.primary("ref", 0);

    private Verdict exchange(long outboundNanos, long returnNanos) {
        PollAction action = sync.nextAction(device.epochNanos());
        assertThat(action).isInstanceOf(PollAction.Send.class);
        long t1 = device.epochNanos();
        reference.advance(Duration.ofNanos(outboundNanos));
        long t2 = Nanos.epochNanos(reference.instant());
        long t3 = t2;
        reference.advance(Duration.ofNanos(returnNanos));
        return sync.onReply(((PollAction.Send) action).token(), t1, t2, t3, ref, device.epochNanos());
    }

    @Test
    void theFirstExchangeOfABurstIsLeftOutEvenWhenItIsTheFastest() {
        // the first pays for the cold outbound leg: here all of its 100 µs on the way out (θ +50 µs), and still
        // the least delay; the other two take 200 µs, symmetric. Were it counted it would dominate: +43 µs.
        assertThat(exchange(100_000, 0)).isInstanceOf(Verdict.Accepted.class);
        assertThat(exchange(100_000, 100_000)).isInstanceOf(Verdict.Accepted.class);
        Verdict last = exchange(100_000, 100_000);
        assertThat(last).isInstanceOfSatisfying(Verdict.Accepted.class, a -> assertThat(a.clockUpdated()).isTrue());
        long error = clock.epochNanos() - Nanos.epochNanos(reference.instant());
        assertThat(Math.abs(error)).as("error, ns").isLessThan(1_000);
    }

    @Test
    void aBurstOfOneIsStillASample() {
        TimeSync single = TimeSync.create(TimeSyncConfig.builder("me", List.of("ref")).burstSize(1).build(), clock,
                Optional.empty());
        PollAction action = single.nextAction(device.epochNanos());
        long t1 = device.epochNanos();
        reference.advance(Duration.ofNanos(150_000));
        long t2 = Nanos.epochNanos(reference.instant());
        reference.advance(Duration.ofNanos(150_000));
        Verdict v = single.onReply(((PollAction.Send) action).token(), t1, t2, t2, ref, device.epochNanos());
        assertThat(v).isInstanceOfSatisfying(Verdict.Accepted.class, a -> assertThat(a.clockUpdated()).isTrue());
        assertThat(clock.synchronised()).isTrue();
    }
}
