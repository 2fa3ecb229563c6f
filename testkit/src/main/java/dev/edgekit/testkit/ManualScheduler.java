package dev.edgekit.testkit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A deterministic {@link ScheduledExecutorService} for unit tests, in the spirit of OkHttp's {@code TaskFaker}:
 * nothing runs until the test calls {@link #runReady()} or {@link #advance(Duration)}, tasks run on the calling
 * thread in due-time order (ties in submission order), and the shared {@link FakeClock} is moved to each task's
 * due time before it runs. Production code takes a {@code ScheduledExecutorService} and an
 * {@link java.time.InstantSource}; tests hand it this scheduler and its clock.
 */
public final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {
    private final FakeClock clock;
    private final PriorityQueue<Task<?>> queue = new PriorityQueue<>();
    private final AtomicLong sequence = new AtomicLong();
    private boolean shutdown;

    public ManualScheduler(FakeClock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public ManualScheduler() {
        this(FakeClock.atEpochOf2026());
    }

    public FakeClock clock() {
        return clock;
    }

    /** Runs every task that is due now, including tasks those tasks schedule for now. Returns how many ran. */
    public int runReady() {
        return runUntil(clock.instant());
    }

    /** Moves time forward by {@code step}, running each task at its due time. Returns how many ran. */
    public int advance(Duration step) {
        return runUntil(clock.instant().plus(step));
    }

    private int runUntil(Instant end) {
        int ran = 0;
        while (true) {
            Task<?> next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.due.isAfter(end)) {
                    break;
                }
                queue.poll();
            }
            if (next.due.isAfter(clock.instant())) {
                clock.set(next.due);
            }
            next.run();
            ran++;
        }
        if (end.isAfter(clock.instant())) {
            clock.set(end);
        }
        return ran;
    }

    /** Tasks waiting, periodic ones included. */
    public synchronized int pendingCount() {
        return queue.size();
    }

    /** Due time of the next waiting task, or null. */
    public synchronized Instant nextDue() {
        Task<?> next = queue.peek();
        return next == null ? null : next.due;
    }

    private synchronized <T> Task<T> enqueue(Task<T> task) {
        if (shutdown) {
            throw new RejectedExecutionException("ManualScheduler is shut down");
        }
        queue.add(task);
        return task;
    }

    @Override
    public void execute(Runnable command) {
        enqueue(new Task<>(callable(command), clock.instant(), 0, false));
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return enqueue(new Task<>(callable(command), dueIn(delay, unit), 0, false));
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return enqueue(new Task<>(callable, dueIn(delay, unit), 0, false));
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        requirePositive(period);
        return enqueue(new Task<>(callable(command), dueIn(initialDelay, unit), unit.toNanos(period), true));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        requirePositive(delay);
        return enqueue(new Task<>(callable(command), dueIn(initialDelay, unit), unit.toNanos(delay), false));
    }

    private static void requirePositive(long period) {
        if (period <= 0) {
            throw new IllegalArgumentException("period must be positive: " + period);
        }
    }

    private Instant dueIn(long delay, TimeUnit unit) {
        return clock.instant().plusNanos(Math.max(0, unit.toNanos(delay)));
    }

    @Override
    public synchronized void shutdown() {
        shutdown = true;
    }

    @Override
    public synchronized List<Runnable> shutdownNow() {
        shutdown = true;
        List<Runnable> pending = new ArrayList<>(queue);
        queue.clear();
        return pending;
    }

    @Override
    public synchronized boolean isShutdown() {
        return shutdown;
    }

    @Override
    public synchronized boolean isTerminated() {
        return shutdown && queue.isEmpty();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return isTerminated();
    }

    private final class Task<V> implements ScheduledFuture<V>, Runnable {
        private final long order = sequence.getAndIncrement();
        private final PeriodicFuture<V> future;
        private final long periodNanos;
        private final boolean fixedRate;
        private Instant due;

        Task(Callable<V> callable, Instant due, long periodNanos, boolean fixedRate) {
            this.future = new PeriodicFuture<>(callable);
            this.due = due;
            this.periodNanos = periodNanos;
            this.fixedRate = fixedRate;
        }

        @Override
        public void run() {
            if (periodNanos == 0) {
                future.run();
                return;
            }
            // a thrown exception ends a periodic task, as in the JDK's executor
            if (future.runOnce()) {
                Instant previous = due;
                due = fixedRate ? previous.plusNanos(periodNanos) : clock.instant().plusNanos(periodNanos);
                synchronized (ManualScheduler.this) {
                    if (!shutdown) {
                        queue.add(this);
                    }
                }
            }
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(Duration.between(clock.instant(), due));
        }

        @Override
        public int compareTo(Delayed other) {
            Task<?> that = (Task<?>) other;
            int byDue = due.compareTo(that.due);
            return byDue != 0 ? byDue : Long.compare(order, that.order);
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            synchronized (ManualScheduler.this) {
                queue.remove(this);
            }
            return future.cancel(false);
        }

        @Override
        public boolean isCancelled() {
            return future.isCancelled();
        }

        @Override
        public boolean isDone() {
            return future.isDone();
        }

        @Override
        public V get() throws InterruptedException, ExecutionException {
            if (!future.isDone()) {
                throw new IllegalStateException("ManualScheduler task not run yet: advance the scheduler first");
            }
            return future.get();
        }

        @Override
        public V get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
            if (!future.isDone()) {
                throw new TimeoutException("ManualScheduler task not run yet: advance the scheduler first");
            }
            return future.get();
        }
    }

    private static Callable<Object> callable(Runnable runnable) {
        Objects.requireNonNull(runnable, "task");
        return () -> {
            runnable.run();
            return null;
        };
    }

    /** Exposes {@link FutureTask#runAndReset()}, which keeps a periodic task reusable. */
    private static final class PeriodicFuture<V> extends FutureTask<V> {
        PeriodicFuture(Callable<V> callable) {
            super(callable);
        }

        boolean runOnce() {
            return runAndReset();
        }
    }
}
