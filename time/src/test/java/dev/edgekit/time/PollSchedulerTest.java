package dev.edgekit.time;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PollSchedulerTest {
    static final long MS = 1_000_000L;
    final PollScheduler scheduler = new PollScheduler("s", 3, 250 * MS, 2_000 * MS, 100 * MS, 3, 2);

    private long send(long now) {
        PollAction a = scheduler.next(now);
        assertThat(a).isInstanceOf(PollAction.Send.class);
        return ((PollAction.Send) a).token();
    }

    private void burst(long start, PollScheduler.Quality quality) {
        for (int i = 0; i < 3; i++) {
            long token = send(start + i * MS);
            assertThat(scheduler.claim(token)).isEqualTo(PollScheduler.Claim.OK);
            scheduler.record(quality);
        }
    }

    @Test
    void aBurstSendsThreeExchangesBackToBackThenWaitsForTheNextPoll() {
        long t = send(0);
        assertThat(scheduler.next(10 * MS)).isEqualTo(new PollAction.Wait(100 * MS)); // reply outstanding
        assertThat(scheduler.claim(t)).isEqualTo(PollScheduler.Claim.OK);
        scheduler.record(PollScheduler.Quality.UNSETTLED);
        long t2 = send(10 * MS); // next one leaves as soon as the reply is in
        scheduler.claim(t2);
        scheduler.record(PollScheduler.Quality.UNSETTLED);
        long t3 = send(11 * MS);
        scheduler.claim(t3);
        scheduler.record(PollScheduler.Quality.UNSETTLED);
        assertThat(scheduler.next(12 * MS)).isEqualTo(new PollAction.Wait(250 * MS));
        assertThat(PollScheduler.serverIndexOf(t3)).isEqualTo(3);
    }

    @Test
    void pollNowBringsTheNextBurstForwardButNeverInterruptsOne() {
        for (int i = 0; i < 8; i++) { // settled: the interval has grown to 2 s
            burst(i * 2_000 * MS, PollScheduler.Quality.SETTLED);
        }
        long now = 7 * 2_000 * MS + 10 * MS; // just after the last burst
        assertThat(scheduler.next(now)).isInstanceOf(PollAction.Wait.class);

        assertThat(scheduler.pollNow(now)).isTrue();
        long token = send(now); // at once, not in 2 s
        assertThat(scheduler.pollNow(now + MS)).isFalse(); // a burst is under way: nothing to bring forward
        scheduler.claim(token);
        scheduler.record(PollScheduler.Quality.SETTLED);
        assertThat(scheduler.pollNow(now + 2 * MS)).isFalse(); // two exchanges of it are still to go
        assertThat(scheduler.intervalNanos()).isEqualTo(2_000 * MS); // an operator's burst does not reset the backoff
    }

    @Test
    void aLostReplyTimesOutAndTheBurstGoesOn() {
        send(0);
        assertThat(scheduler.next(100 * MS)).isInstanceOf(PollAction.Send.class);
        assertThat(scheduler.timeouts()).isEqualTo(1);
    }

    @Test
    void lateDuplicateAndForgedTokensAreToldApart() {
        long first = send(0);
        long second = send(100 * MS); // the first timed out
        assertThat(scheduler.claim(first)).isEqualTo(PollScheduler.Claim.STALE);
        assertThat(scheduler.claim(second)).isEqualTo(PollScheduler.Claim.OK);
        assertThat(scheduler.claim(second)).isEqualTo(PollScheduler.Claim.STALE);
        assertThat(scheduler.claim(second + 1)).isEqualTo(PollScheduler.Claim.UNKNOWN);
        assertThat(scheduler.claim(PollScheduler.token(4, 1))).isEqualTo(PollScheduler.Claim.UNKNOWN);
    }

    @Test
    void theIntervalDoublesAfterSettledBurstsUpToTheMaximumAndDropsBackOnADisturbance() {
        long now = 0;
        for (int i = 0; i < 8; i++) {
            burst(now, PollScheduler.Quality.SETTLED);
            now += scheduler.intervalNanos();
        }
        assertThat(scheduler.intervalNanos()).isEqualTo(2_000 * MS);
        burst(now, PollScheduler.Quality.UNSETTLED);
        assertThat(scheduler.intervalNanos()).isEqualTo(250 * MS);
    }

    @Test
    void jitterSpreadsPollsOverTenPercentSoDevicesStartedTogetherDrift() {
        PollScheduler jittered = new PollScheduler("s", 0, 1_000 * MS, 1_000 * MS, 100 * MS, 1, 1,
                new java.util.SplittableRandom(7));
        java.util.Set<Long> intervals = new java.util.HashSet<>();
        long now = 0;
        for (int i = 0; i < 50; i++) {
            PollAction.Send s = (PollAction.Send) jittered.next(now);
            jittered.claim(s.token());
            jittered.record(PollScheduler.Quality.SETTLED);
            long next = ((PollAction.Wait) jittered.next(now)).untilNanos();
            assertThat(next - now).isBetween(900 * MS, 1_100 * MS);
            intervals.add(next - now);
            now = next;
        }
        assertThat(intervals).hasSizeGreaterThan(40);
    }

    @Test
    void aNewRangeClampsTheIntervalAndBringsAFarBurstForwardButNeverPushesOneBack() {
        long now = 0;
        for (int i = 0; i < 8; i++) {
            burst(now, PollScheduler.Quality.SETTLED);
            now += scheduler.intervalNanos();
        }
        long lastStart = now - scheduler.intervalNanos();
        assertThat(scheduler.intervalNanos()).isEqualTo(2_000 * MS);
        assertThat(scheduler.next(lastStart + 10 * MS)).isEqualTo(new PollAction.Wait(lastStart + 2_000 * MS));

        scheduler.retune(100 * MS, 500 * MS); // polled from afar: poll more often
        assertThat(scheduler.intervalNanos()).isEqualTo(500 * MS);
        assertThat(scheduler.next(lastStart + 10 * MS)).isEqualTo(new PollAction.Wait(lastStart + 500 * MS));

        scheduler.retune(1_000 * MS, 8_000 * MS); // and less often: the burst already due stays where it is
        assertThat(scheduler.intervalNanos()).isEqualTo(1_000 * MS);
        assertThat(scheduler.next(lastStart + 10 * MS)).isEqualTo(new PollAction.Wait(lastStart + 500 * MS));
        burst(lastStart + 500 * MS, PollScheduler.Quality.UNSETTLED);
        assertThat(scheduler.intervalNanos()).isEqualTo(1_000 * MS); // a disturbance drops to the new minimum
    }

    @Test
    void aRangeThatIsNotOneIsRefused() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> scheduler.retune(500 * MS, 100 * MS));
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> scheduler.retune(0, 100 * MS));
        assertThat(scheduler.minPollNanos()).isEqualTo(250 * MS);
    }
}
