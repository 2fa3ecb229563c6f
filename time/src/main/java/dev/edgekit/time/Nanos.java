package dev.edgekit.time;

import java.time.Duration;
import java.time.Instant;

/** Conversions between {@link Instant}/{@link Duration} and epoch/elapsed nanoseconds. */
final class Nanos {
    static final long PER_SECOND = 1_000_000_000L;

    private Nanos() {}

    static long epochNanos(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), PER_SECOND), instant.getNano());
    }

    static Instant toInstant(long epochNanos) {
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, PER_SECOND), Math.floorMod(epochNanos, PER_SECOND));
    }

    static long of(Duration duration) {
        return duration.toNanos();
    }

    /** ppm as a dimensionless ratio (nanoseconds per nanosecond). */
    static double ppm(double ppm) {
        return ppm * 1e-6;
    }

    /** {@code ratio * nanos}, rounded, saturating instead of overflowing. */
    static long scale(double ratio, long nanos) {
        double v = ratio * (double) nanos;
        if (v >= Long.MAX_VALUE) return Long.MAX_VALUE;
        if (v <= Long.MIN_VALUE) return Long.MIN_VALUE;
        return Math.round(v);
    }

    static long saturatedAdd(long a, long b) {
        long r = a + b;
        if (((a ^ r) & (b ^ r)) < 0) return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        return r;
    }
}
