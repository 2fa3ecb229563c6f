package dev.edgekit.agent.outbox;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How an {@link OutboxDrainer} paces itself.
 *
 * @param window most publishes awaiting PUBACK at once (keep it at or below the broker's receive maximum)
 * @param initialBackoff wait after the first failure; doubled after each further failure
 * @param maxBackoff the longest wait
 * @param jitter fraction of the backoff randomised either way (0 to 1), so a fleet does not retry in step
 * @param random source of the jitter (seeded in tests)
 */
public record DrainerConfig(int window, Duration initialBackoff, Duration maxBackoff, double jitter,
                            RandomGenerator random) {
    public DrainerConfig {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(random, "random");
        if (window <= 0) {
            throw new IllegalArgumentException("window must be positive: " + window);
        }
        if (initialBackoff.isNegative() || initialBackoff.isZero() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("need 0 < initialBackoff <= maxBackoff: " + initialBackoff + ", " + maxBackoff);
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter must be within [0, 1]: " + jitter);
        }
    }

    /** 32 in flight, backoff 100 ms doubling to 30 s, ±20 % jitter. */
    public static DrainerConfig defaults() {
        return new DrainerConfig(32, Duration.ofMillis(100), Duration.ofSeconds(30), 0.2, RandomGenerator.getDefault());
    }

    public DrainerConfig withWindow(int window) {
        return new DrainerConfig(window, initialBackoff, maxBackoff, jitter, random);
    }

    public DrainerConfig withBackoff(Duration initial, Duration max, double jitter, RandomGenerator random) {
        return new DrainerConfig(window, initial, max, jitter, random);
    }

    /** The wait after {@code failures} consecutive failures (1 = the first). */
    Duration backoff(int failures) {
        long base = initialBackoff.toNanos();
        long max = maxBackoff.toNanos();
        long nanos = base;
        for (int i = 1; i < failures && nanos < max; i++) {
            nanos = nanos > max / 2 ? max : nanos * 2;
        }
        nanos = Math.min(nanos, max);
        if (jitter > 0) {
            double factor = 1 + jitter * (2 * random.nextDouble() - 1);
            nanos = Math.max(1, Math.round(nanos * factor));
        }
        return Duration.ofNanos(nanos);
    }
}
