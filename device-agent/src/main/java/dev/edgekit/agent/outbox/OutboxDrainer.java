package dev.edgekit.agent.outbox;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Publishes an {@link Outbox} in sequence order with a bounded in-flight window, deletes each entry on its
 * PUBACK, and after a failure waits (exponential backoff with jitter, through the injected scheduler) and
 * re-sends from the oldest undelivered entry, in order. It refills the window in batches: it reads the outbox
 * when at least half the window is free, that many entries at once, with {@link Outbox#peekAsync} (the read never
 * blocks the scheduler). An entry the broker refuses for good ({@link Refused}) is dead-lettered, not retried. An entry is never published for the first time
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

        /**
         * At most this many entries in flight whatever the window says: the broker's receive maximum, less what the
         * rest of the session needs (births, replies). Read before every refill, so it follows each connection.
         */
        default int windowLimit() {
            return Integer.MAX_VALUE;
        }
    }

    /**
     * The publisher's way to say that the broker refused an entry for good (e.g. PUBACK 0x87 not authorized):
     * a future failed with it makes the drainer hand the entry to {@link Outbox#reject} (dead letter) and go on
     * with the next one, instead of re-sending it forever.
     */
    final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int reasonCode;

        public Refused(String message, int reasonCode, Throwable cause) {
            super(message, cause);
            this.reasonCode = reasonCode;
        }

        public int reasonCode() {
            return reasonCode;
        }
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
