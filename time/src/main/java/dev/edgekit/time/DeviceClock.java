package dev.edgekit.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The board's raw clock: on a Pi, the system clock (which may start wrong); in simulation,
 * reference time + offset + drift + read jitter, optionally stepped at a given reference instant.
 * Reads are thread-safe. {@link #precision()} bounds the read error (jitter) of one reading.
 */
public sealed interface DeviceClock extends InstantSource permits SystemDeviceClock, SimulatedDeviceClock {

    /** The current reading in nanoseconds since the epoch (the hot-path form of {@link #instant()}). */
    long epochNanos();

    /** Upper bound of one reading's error from its own smooth timeline (read jitter, resolution). */
    Duration precision();

    @Override
    default Instant instant() {
        return Nanos.toInstant(epochNanos());
    }

    /** The host's system clock (the one place in this package that reads real time). */
    static DeviceClock system() {
        return new SystemDeviceClock(Clock.systemUTC(), Duration.ofNanos(1_000));
    }

    /**
     * {@code source} as a device clock: itself if it already is one, else a wrapper that reads it with a
     * precision of 1 µs (for agents handed a plain {@link InstantSource}, e.g. {@link Clock#systemUTC()}).
     */
    static DeviceClock of(InstantSource source) {
        return source instanceof DeviceClock d ? d : new SystemDeviceClock(source, Duration.ofNanos(1_000));
    }

    /** A simulated board clock over a shared reference; see {@link Simulated}. */
    static Simulated simulated(InstantSource reference) {
        return new Simulated(reference);
    }

    /**
     * Builder of a simulated device clock. Reading = reference + offset + drift·(reference − start)
     * + uniform jitter in [−jitter, +jitter] (+ step once reference ≥ stepAt). Hundreds of these can
     * share one reference source; each owns its (seeded) random generator.
     */
    final class Simulated {
        private final InstantSource reference;
        private Duration offset = Duration.ZERO;
        private double driftPpm;
        private Duration jitter = Duration.ZERO;
        private RandomGenerator random;
        private Instant driftOrigin;
        private Instant stepAt;
        private Duration step = Duration.ZERO;

        private Simulated(InstantSource reference) {
            this.reference = Objects.requireNonNull(reference, "reference");
        }

        /** Constant offset from reference time at the drift origin. */
        public Simulated offset(Duration offset) {
            this.offset = Objects.requireNonNull(offset);
            return this;
        }

        /** Frequency error: positive = the clock runs fast, relative to elapsed reference time. */
        public Simulated driftPpm(double driftPpm) {
            if (!Double.isFinite(driftPpm) || Math.abs(driftPpm) >= 1e5) {
                throw new IllegalArgumentException("drift out of range: " + driftPpm);
            }
            this.driftPpm = driftPpm;
            return this;
        }

        /** Uniform read jitter amplitude, drawn from the given (seeded) generator. */
        public Simulated jitter(Duration amplitude, RandomGenerator random) {
            if (amplitude.isNegative()) throw new IllegalArgumentException("negative jitter");
            this.jitter = amplitude;
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** Reference instant from which drift accumulates (default: reference time at build). */
        public Simulated driftOrigin(Instant origin) {
            this.driftOrigin = Objects.requireNonNull(origin);
            return this;
        }

        /** The clock jumps by {@code step} once reference time reaches {@code at}. */
        public Simulated stepAt(Instant at, Duration step) {
            this.stepAt = Objects.requireNonNull(at);
            this.step = Objects.requireNonNull(step);
            return this;
        }

        public DeviceClock build() {
            Instant origin = driftOrigin != null ? driftOrigin : reference.instant();
            return new SimulatedDeviceClock(reference, Nanos.of(offset), Nanos.ppm(driftPpm),
                    Nanos.of(jitter), jitter.isZero() ? null : random, Nanos.epochNanos(origin),
                    stepAt == null ? Long.MAX_VALUE : Nanos.epochNanos(stepAt), Nanos.of(step));
        }
    }
}

/** The real system clock (or any plain {@link InstantSource} taken as a board clock). */
record SystemDeviceClock(InstantSource clock, Duration precision) implements DeviceClock {
    @Override
    public long epochNanos() {
        return Nanos.epochNanos(clock.instant());
    }
}

/** reference + offset + drift + jitter (+ step). */
final class SimulatedDeviceClock implements DeviceClock {
    private final InstantSource reference;
    private final long offsetNanos;
    private final double driftRatio;
    private final long jitterNanos;
    private final RandomGenerator random; // guarded by this
    private final long originNanos;
    private final long stepAtNanos;
    private final long stepNanos;

    SimulatedDeviceClock(InstantSource reference, long offsetNanos, double driftRatio, long jitterNanos,
                         RandomGenerator random, long originNanos, long stepAtNanos, long stepNanos) {
        this.reference = reference;
        this.offsetNanos = offsetNanos;
        this.driftRatio = driftRatio;
        this.jitterNanos = jitterNanos;
        this.random = random;
        this.originNanos = originNanos;
        this.stepAtNanos = stepAtNanos;
        this.stepNanos = stepNanos;
    }

    @Override
    public long epochNanos() {
        return at(Nanos.epochNanos(reference.instant())) + jitter();
    }

    /** The smooth (jitter-free) reading at a reference instant; for tests measuring true error. */
    long at(long referenceNanos) {
        long t = referenceNanos + offsetNanos + Nanos.scale(driftRatio, referenceNanos - originNanos);
        return referenceNanos >= stepAtNanos ? t + stepNanos : t;
    }

    private long jitter() {
        if (random == null) return 0;
        synchronized (this) {
            return random.nextLong(-jitterNanos, jitterNanos + 1);
        }
    }

    @Override
    public Duration precision() {
        return Duration.ofNanos(jitterNanos);
    }

    @Override
    public String toString() {
        return "SimulatedDeviceClock[offset=" + Duration.ofNanos(offsetNanos) + ", drift=" + driftRatio * 1e6 + "ppm]";
    }
}
