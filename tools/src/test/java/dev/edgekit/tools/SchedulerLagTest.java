package dev.edgekit.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgekit.testkit.ManualScheduler;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SchedulerLagTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final SchedulerLag lag = new SchedulerLag(new ManualScheduler(), now::get);

    @Test
    void aSchedulerThatRunsItsProbeOnTimeHasNoLag() {
        for (int i = 0; i < 10; i++) {
            now.addAndGet(SchedulerLag.PERIOD_NANOS);
            lag.probe();
        }
        assertThat(lag.lagNanos()).isZero();
        assertThat(lag.worstNanos()).isZero();
    }

    @Test
    void aProbeThatRunsLateShowsHowLate() {
        now.addAndGet(SchedulerLag.PERIOD_NANOS + TimeUnit.MILLISECONDS.toNanos(1500));
        lag.probe();
        assertThat(lag.lagNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(1500));
    }

    @Test
    void aSchedulerSoFarBehindThatTheProbeNeverRunsStillShowsTheLag() {
        now.addAndGet(TimeUnit.SECONDS.toNanos(5));
        assertThat(lag.lagNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(5) - SchedulerLag.PERIOD_NANOS);
        assertThat(lag.worstNanos()).isEqualTo(lag.lagNanos());
    }
}
