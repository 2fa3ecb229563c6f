package dev.edgekit.tools;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * How late the simulator's shared scheduler runs its tasks: a probe on the same scheduler as every sampler and
 * heartbeat, at a fixed rate; its lateness is the sampling lag every device suffers. When the machine cannot keep up,
 * the probe falls behind with the samplers, so the status line can say so instead of showing stale good news.
 */
final class SchedulerLag implements AutoCloseable {
    static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private final LongSupplier nanoTime;
    private final long startNanos;
    private final AtomicLong runs = new AtomicLong();
    private final AtomicLong latestLateness = new AtomicLong();
    private final AtomicLong worstLateness = new AtomicLong();
    private final ScheduledFuture<?> task;

    SchedulerLag(ScheduledExecutorService scheduler, LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.startNanos = nanoTime.getAsLong();
        this.task = scheduler.scheduleAtFixedRate(this::probe, PERIOD_NANOS, PERIOD_NANOS, TimeUnit.NANOSECONDS);
    }

    void probe() {
        long due = startNanos + (runs.incrementAndGet()) * PERIOD_NANOS;
        long lateness = Math.max(0, nanoTime.getAsLong() - due);
        latestLateness.set(lateness);
        worstLateness.accumulateAndGet(lateness, Math::max);
    }

    /**
     * How far behind the scheduler is now: the last probe's lateness, or the time since a probe was due if none ran
     * (a scheduler so far behind that the probe itself waits in line).
     */
    long lagNanos() {
        long nextDue = startNanos + (runs.get() + 1) * PERIOD_NANOS;
        return Math.max(latestLateness.get(), nanoTime.getAsLong() - nextDue);
    }

    /** The worst lateness seen so far. */
    long worstNanos() {
        return Math.max(worstLateness.get(), lagNanos());
    }

    @Override
    public void close() {
        task.cancel(false);
    }
}
