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
        return new DrainerStats(inFlight.size(), published, acknowledged, failures, retry != null);
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

    private synchronized void pump() {
        while (!closed && retry == null) {
            int room = config.window() - inFlight.size();
            if (room <= 0) {
                return;
            }
            List<OutboxEntry> next;
            try {
                next = outbox.peek(cursor, room);
            } catch (RuntimeException e) {
                log.warn("drainer cannot read the outbox: {}", e.toString());
                fail(e);
                return;
            }
            if (next.isEmpty()) {
                return;
            }
            for (OutboxEntry entry : next) {
                long gen = generation;
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
                if (sent.isCompletedExceptionally()) {
                    settle(gen, seq, sent.exceptionNow());
                    return; // the generation ended; the rest of this batch waits for the retry
                }
                sent.whenComplete((ok, error) -> submit(() -> settle(gen, seq, error)));
            }
        }
    }

    private synchronized void settle(long gen, long seq, Throwable error) {
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
