package dev.edgekit.protocol.mqtt;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Executors for Paho's internal threads. Paho starts 3–4 threads per client; with {@link #virtual()} those become
 * virtual threads, and only the keep-alive timer stays on one platform thread: 1,000 clients need ~26 OS threads
 * instead of ~4,000 (ARCHITECTURE.md, Platform facts). Paho blocks in {@code synchronized}, which pins carriers before
 * JDK 24.
 */
public final class PahoThreads {
    private static final AtomicInteger TIMERS = new AtomicInteger();

    private PahoThreads() {
    }

    /** One executor to share among many sessions: Paho's tasks on virtual threads, its timers on one daemon thread. */
    public static ScheduledExecutorService virtual() {
        return new VirtualTaskExecutor();
    }

    private static final class VirtualTaskExecutor extends ScheduledThreadPoolExecutor {
        private final ExecutorService tasks = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("paho-", 0).factory());

        VirtualTaskExecutor() {
            super(1, runnable -> {
                Thread thread = new Thread(runnable, "paho-timer-" + TIMERS.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
            setRemoveOnCancelPolicy(true);
        }

        @Override
        public void execute(Runnable command) {
            tasks.execute(command);
        }

        @Override
        public Future<?> submit(Runnable task) {
            return tasks.submit(task);
        }

        @Override
        public <T> Future<T> submit(Runnable task, T result) {
            return tasks.submit(task, result);
        }

        @Override
        public <T> Future<T> submit(Callable<T> task) {
            return tasks.submit(task);
        }

        @Override
        public void shutdown() {
            super.shutdown();
            tasks.shutdown();
        }
    }
}
