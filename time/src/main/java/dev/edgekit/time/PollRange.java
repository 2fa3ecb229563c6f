package dev.edgekit.time;

import java.time.Duration;
import java.util.Objects;

/**
 * How often a client polls its time servers: bursts start every {@code min} after a start or a disturbance and back
 * off, doubling while the clock stays settled, up to {@code max} ({@link PollScheduler}).
 */
public record PollRange(Duration min, Duration max) {
    public PollRange {
        Objects.requireNonNull(min, "min");
        Objects.requireNonNull(max, "max");
        if (min.isNegative() || min.isZero()) {
            throw new IllegalArgumentException("minPoll must be positive, not " + min);
        }
        if (max.compareTo(min) < 0) {
            throw new IllegalArgumentException("maxPoll (" + max + ") must not be shorter than minPoll (" + min + ")");
        }
    }
}
