package dev.edgekit.agent.outbox;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Publishes an {@link Outbox} in sequence order with a bounded in-flight window, deletes each entry on its
 * PUBACK, and after a failure waits (exponential backoff with jitter, through the injected scheduler) and
 * re-sends from the oldest undelivered entry, in order. An entry is never published for the first time
 * before every lower sequence number has been published; re-sends may duplicate (consumers de-duplicate).
 *
 * <p>All its work runs as tasks on the given scheduler, which must run them one at a time (a single-threaded
 * executor, or {@code ManualScheduler} in tests); {@link Publisher#publish} is called from those tasks and
 * must not block.
 */
public interface OutboxDrainer extends AutoCloseable {

    /** The wiring to the MQTT session. */
    @FunctionalInterface
    interface Publisher {
        /**
         * Publishes {@code entry} (topic, payload, QoS; its {@code seq} for the message). The future completes
         * when the broker acknowledged it (PUBACK, or at once for QoS 0) and fails when it cannot be or the
         * connection is lost; it must eventually do one or the other.
         */
        CompletableFuture<Void> publish(OutboxEntry entry);
    }

    /** Starts draining {@code outbox}; it wakes up by itself whenever entries are appended. */
    static OutboxDrainer start(Outbox outbox, Publisher publisher, ScheduledExecutorService scheduler,
                               DrainerConfig config) {
        WindowedDrainer drainer = new WindowedDrainer(outbox, publisher, scheduler, config);
        outbox.onAppended(drainer::wake);
        drainer.wake();
        return drainer;
    }

    /** Looks for entries to publish (the outbox calls it after appends). Cheap; coalesced. */
    void wake();

    /** The session is connected again: skip the rest of any backoff and re-send now. */
    void connectionRestored();

    DrainerStats stats();

    /** Stops publishing; pending PUBACKs still delete their entries. */
    @Override
    void close();
}
