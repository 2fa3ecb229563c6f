package dev.edgekit.agent.outbox;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The drainer. State changes only in tasks on the scheduler (methods are also synchronized, so a
 * multi-threaded scheduler is safe, if slower). Each attempt ("generation") publishes from a cursor; a failure
 * ends the generation: its in-flight set is forgotten, the cursor goes back before the oldest undelivered
 * entry, and the next generation starts after the backoff. Late PUBACKs of an old generation still delete
 * their entries; its late failures are ignored.
 */
final class WindowedDrainer implements OutboxDrainer {
    private static final Logger log = LoggerFactory.getLogger(OutboxDrainer.class);

    private final Outbox outbox;
    private final Publisher publisher;
    private final ScheduledExecutorService scheduler;
    private final DrainerConfig config;
    private final AtomicBoolean pumpQueued = new AtomicBoolean();

    private long cursor = Long.MIN_VALUE;
    private final TreeSet<Long> inFlight = new TreeSet<>();
    private long generation;
    private int consecutiveFailures;
    private ScheduledFuture<?> retry;
    private boolean closed;
    private long published;
    private long acknowledged;
    private long failures;
    private long rejected;
    private long reads;
    /** A read of the outbox is in progress (or its entries are being published). */
    private boolean reading;
    /** Something asked for a pump while reading. */
    private boolean dirty;

    WindowedDrainer(Outbox outbox, Publisher publisher, ScheduledExecutorService scheduler, DrainerConfig config) {
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    public void wake() {
        if (pumpQueued.compareAndSet(false, true)) {
            submit(() -> {
                pumpQueued.set(false);
                pump();
            });
        }
    }

    @Override
    public void connectionRestored() {
        submit(this::retryNow);
    }

    private synchronized void retryNow() {
        if (retry != null) {
            retry.cancel(false);
            retry = null;
        }
        consecutiveFailures = 0;
        pump();
    }

    @Override
    public synchronized DrainerStats stats() {
        return new DrainerStats(inFlight.size(), published, acknowledged, failures, retry != null, rejected, reads);
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (retry != null) {
            retry.cancel(false);
            retry = null;
        }
    }

    private void submit(Runnable task) {
        try {
            scheduler.execute(task);
        } catch (RejectedExecutionException e) {
            log.debug("drainer task rejected (scheduler shut down)");
        }
    }

    /** The window in force: the configured one, or less when the broker takes fewer publishes at once. */
    private int window() {
        return Math.max(1, Math.min(config.window(), publisher.windowLimit()));
    }

    /** Refill when at least this many slots are free (half the window), so one read serves many publishes. */
    private int refillAt() {
        return Math.max(1, window() / 2);
    }

    private synchronized void pump() {
        if (closed || retry != null) {
            return;
        }
        if (reading) {
            dirty = true; // look again once the read in progress is handled
            return;
        }
        int room = window() - inFlight.size();
        if (room <= 0 || room < refillAt()) {
            return;
        }
        reading = true;
        dirty = false;
        reads++;
        long gen = generation;
        CompletableFuture<List<OutboxEntry>> read;
        try {
            read = outbox.peekAsync(cursor, room);
        } catch (RuntimeException e) {
            read = CompletableFuture.failedFuture(e);
        }
        // completes on the outbox's thread: continue on the scheduler
        read.whenComplete((next, error) -> submit(() -> onRead(gen, room, next, error)));
    }

    private synchronized void onRead(long gen, int asked, List<OutboxEntry> next, Throwable error) {
        if (closed) {
            reading = false;
            return;
        }
        if (gen != generation) { // the attempt ended while reading: read again from the rewound cursor
            reading = false;
            pump();
            return;
        }
        if (error != null) {
            reading = false;
            log.warn("drainer cannot read the outbox: {}", SqliteOutbox.unwrap(error).toString());
            fail(error);
            return;
        }
        // still "reading" while publishing the batch: a pump from a settle below must not read concurrently
        for (OutboxEntry entry : next) {
            if (closed || retry != null || gen != generation) {
                break; // the generation ended; the rest of this batch waits for the retry
            }
            long seq = entry.seq();
            inFlight.add(seq);
            cursor = seq;
            published++;
            CompletableFuture<Void> sent;
            try {
                sent = Objects.requireNonNull(publisher.publish(entry), "publisher returned null");
            } catch (RuntimeException e) {
                sent = CompletableFuture.failedFuture(e);
            }
            if (sent.isDone()) {
                settle(gen, seq, sent.isCompletedExceptionally() ? sent.exceptionNow() : null);
            } else {
                sent.whenComplete((ok, e) -> submit(() -> settle(gen, seq, e)));
            }
        }
        reading = false;
        if (next.size() == asked || dirty) {
            pump();
        }
    }

    private synchronized void settle(long gen, long seq, Throwable error) {
        Throwable cause = error == null ? null : SqliteOutbox.unwrap(error);
        if (error == null) {
            outbox.acknowledge(seq);
            acknowledged++;
            if (gen == generation) {
                inFlight.remove(seq);
                consecutiveFailures = 0;
            }
            pump();
            return;
        }
        if (cause instanceof Refused refused) {
            // refused for good: re-sending cannot help. Out of the queue (dead letter), then the next entry.
            outbox.reject(seq, refused.reasonCode(), refused.getMessage());
            rejected++;
            if (gen == generation) {
                inFlight.remove(seq);
            }
            pump();
            return;
        }
        if (gen != generation || closed) {
            return; // that attempt already ended
        }
        fail(error);
    }

    private void fail(Throwable error) {
        failures++;
        consecutiveFailures++;
        generation++;
        inFlight.clear();
        cursor = Long.MIN_VALUE; // re-send from the oldest undelivered entry, in order
        Duration wait = config.backoff(consecutiveFailures);
        if (consecutiveFailures == 1) {
            log.info("publish failed ({}); re-sending from the oldest undelivered entry in {}", error.toString(), wait);
        } else {
            log.debug("publish failed again ({} in a row): retry in {}", consecutiveFailures, wait);
        }
        try {
            retry = scheduler.schedule(this::retryDue, wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            closed = true;
        }
    }

    private synchronized void retryDue() {
        retry = null;
        pump();
    }
}
