package dev.edgekit.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ManualSchedulerTest {
    private final FakeClock clock = FakeClock.atEpochOf2026();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final Instant start = clock.instant();
    private final List<String> log = new ArrayList<>();

    @Test
    void nothingRunsUntilTheTestMovesTime() {
        scheduler.execute(() -> log.add("now"));
        assertThat(log).isEmpty();
        assertThat(scheduler.runReady()).isEqualTo(1);
        assertThat(log).containsExactly("now");
    }

    @Test
    void tasksRunInDueOrderWithTheClockAtTheirDueTime() {
        scheduler.schedule(() -> log.add("b@" + Duration.between(start, clock.instant()).toMillis()), 200, TimeUnit.MILLISECONDS);
        scheduler.schedule(() -> log.add("a@" + Duration.between(start, clock.instant()).toMillis()), 100, TimeUnit.MILLISECONDS);
        scheduler.advance(Duration.ofMillis(150));
        assertThat(log).containsExactly("a@100");
        assertThat(clock.instant()).isEqualTo(start.plusMillis(150));
        scheduler.advance(Duration.ofMillis(100));
        assertThat(log).containsExactly("a@100", "b@200");
    }

    @Test
    void fixedRateTaskRepeatsUntilCancelled() {
        ScheduledFuture<?> ticking = scheduler.scheduleAtFixedRate(() -> log.add("tick"), 0, 1, TimeUnit.SECONDS);
        scheduler.advance(Duration.ofMillis(2500));
        assertThat(log).hasSize(3);
        ticking.cancel(false);
        scheduler.advance(Duration.ofSeconds(10));
        assertThat(log).hasSize(3);
        assertThat(scheduler.pendingCount()).isZero();
    }

    @Test
    void aTaskScheduledByATaskForNowRunsInTheSameAdvance() {
        scheduler.execute(() -> scheduler.execute(() -> log.add("nested")));
        scheduler.runReady();
        assertThat(log).containsExactly("nested");
    }

    @Test
    void aFailingPeriodicTaskStopsRepeating() {
        scheduler.scheduleWithFixedDelay(() -> {
            log.add("run");
            throw new IllegalStateException("boom");
        }, 0, 1, TimeUnit.SECONDS);
        scheduler.advance(Duration.ofSeconds(5));
        assertThat(log).containsExactly("run");
    }
}
