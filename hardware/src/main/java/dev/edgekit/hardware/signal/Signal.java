package dev.edgekit.hardware.signal;

import java.time.Instant;

/**
 * A physical quantity over time. Stateful signals (noise, random walk) expect to be sampled at non-decreasing
 * instants, as a sensor is; an earlier instant is treated as no elapsed time. Not thread-safe.
 */
@FunctionalInterface
public interface Signal {
    double sample(Instant at);

    default Signal plus(Signal other) {
        return at -> sample(at) + other.sample(at);
    }

    default Signal clamped(double min, double max) {
        if (min > max) {
            throw new IllegalArgumentException("min " + min + " > max " + max);
        }
        return at -> Math.max(min, Math.min(max, sample(at)));
    }
}
