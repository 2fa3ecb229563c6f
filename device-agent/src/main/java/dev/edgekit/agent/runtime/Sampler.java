package dev.edgekit.agent.runtime;

import dev.edgekit.agent.config.HardwareConfig;
import dev.edgekit.hardware.Board;
import dev.edgekit.hardware.Reading;
import dev.edgekit.hardware.Sensor;
import dev.edgekit.hardware.SensorException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples the board's working sensors on the agent's schedule: each sensor at its own fixed rate
 * ({@code hardware.devices.<name>.interval}, else {@code hardware.interval}, default 1 s), first after one interval.
 * Every {@link Reading} becomes telemetry with its unit, stamped with the agent's clock when the read started. A
 * failing sensor ({@link SensorException}: the board has already raised a sensor-fault event and marked it failing)
 * is counted and tried again next time; it never stops the sampling of the other sensors or of itself.
 */
final class Sampler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Sampler.class);

    private final Board board;
    private final HardwareConfig config;
    private final ScheduledExecutorService scheduler;
    private final InstantSource clock;
    private final DataSink sink;
    private final Runnable afterSample;
    private final List<ScheduledFuture<?>> tasks = new ArrayList<>();
    private final AtomicLong readings = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    /** Reads hold the read lock; {@link #close()} takes the write lock, so no read is in flight once it returns. */
    private final ReadWriteLock closing = new ReentrantReadWriteLock();
    private volatile boolean closed;
    private java.time.Duration overridden; // guarded by this
    /** Channels turned off remotely: not published; a sensor with every channel off is not read. */
    private final java.util.Set<String> disabled = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** @param afterSample runs after every read, good or bad (the agent checks whether its health changed) */
    Sampler(Board board, HardwareConfig config, ScheduledExecutorService scheduler, InstantSource clock, DataSink sink,
            Runnable afterSample) {
        this.board = board;
        this.config = config;
        this.scheduler = scheduler;
        this.clock = clock;
        this.sink = sink;
        this.afterSample = afterSample;
    }

    synchronized void start() {
        schedule(null);
    }

    /** Every sensor at {@code every} from now on (null: each at its configured interval again). */
    synchronized void reschedule(java.time.Duration every) {
        if (closed) {
            return;
        }
        tasks.forEach(t -> t.cancel(false));
        tasks.clear();
        schedule(every);
    }

    private void schedule(java.time.Duration override) {
        overridden = override;
        for (Sensor sensor : board.sensors()) {
            long every = (override != null ? override : config.intervalOf(sensor.name())).toNanos();
            tasks.add(scheduler.scheduleAtFixedRate(() -> sample(sensor), every, every, TimeUnit.NANOSECONDS));
        }
    }

    /** The interval every sensor is sampled at when set remotely; null while each follows its configuration. */
    synchronized java.time.Duration overridden() {
        return overridden;
    }

    void enable(String channel, boolean enabled) {
        if (enabled) {
            disabled.remove(channel);
        } else {
            disabled.add(channel);
        }
    }

    boolean enabled(String channel) {
        return !disabled.contains(channel);
    }

    /** Reads one sensor and publishes its readings. Never throws: a thrown exception would end its periodic task. */
    void sample(Sensor sensor) {
        closing.readLock().lock();
        try {
            if (!closed) {
                sampleOpen(sensor);
            }
        } finally {
            closing.readLock().unlock();
        }
    }

    private void sampleOpen(Sensor sensor) {
        if (!disabled.isEmpty() && sensor.channels().stream().allMatch(c -> disabled.contains(c.name()))) {
            return; // nothing of it wanted: spare the bus
        }
        try {
            Instant at = clock.instant();
            List<Reading> read;
            try {
                read = sensor.read();
            } catch (SensorException e) {
                failures.incrementAndGet();
                log.debug("{}", e.getMessage());
                return;
            }
            for (Reading r : read) {
                if (disabled.contains(r.channelName())) {
                    continue;
                }
                sink.telemetry(r.channelName(), r.value(), r.unit().symbol(), at);
                readings.incrementAndGet();
            }
        } catch (RuntimeException e) {
            failures.incrementAndGet();
            log.warn("sampling {} failed unexpectedly; carrying on", sensor.name(), e);
        } finally {
            try {
                afterSample.run();
            } catch (RuntimeException e) {
                log.warn("after sampling {}: {}", sensor.name(), e.toString());
            }
        }
    }

    /** Readings published so far (one per channel). */
    long readings() {
        return readings.get();
    }

    /** Sensor reads that failed. */
    long failures() {
        return failures.get();
    }

    @Override
    public synchronized void close() {
        closing.writeLock().lock();
        try {
            closed = true;
        } finally {
            closing.writeLock().unlock();
        }
        tasks.forEach(t -> t.cancel(false));
        tasks.clear();
    }
}
