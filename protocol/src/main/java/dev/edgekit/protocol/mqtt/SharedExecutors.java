package dev.edgekit.protocol.mqtt;

import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/** Defaults shared by all sessions in a JVM, created on first use. */
final class SharedExecutors {
    private SharedExecutors() {
    }

    static ScheduledExecutorService scheduler() {
        return Holder.SCHEDULER;
    }

    static Executor handlers() {
        return Holder.HANDLERS;
    }

    private static final class Holder {
        static final ScheduledExecutorService SCHEDULER;
        static final Executor HANDLERS = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("mqtt-handler-", 0).factory());

        static {
            ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
                Thread thread = new Thread(runnable, "mqtt-scheduler");
                thread.setDaemon(true);
                return thread;
            });
            scheduler.setRemoveOnCancelPolicy(true);
            SCHEDULER = scheduler;
        }
    }
}
