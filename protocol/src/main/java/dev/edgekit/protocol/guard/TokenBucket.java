package dev.edgekit.protocol.guard;

import java.time.Instant;

/**
 * A token bucket (Turner, 1986): {@code ratePerSecond} tokens a second, at most {@code burst} saved up. Each admitted
 * unit of work takes one token. The time of each attempt is passed in, so the bucket reads no clock; a time earlier than
 * the last one (a clock step back) refills nothing. Thread-safe.
 */
public final class TokenBucket {
    private final double ratePerNano;
    private final double burst;
    private double tokens;
    private long lastNanos = Long.MIN_VALUE;

    public TokenBucket(double ratePerSecond, int burst) {
        if (!(ratePerSecond > 0) || burst < 1) {
            throw new IllegalArgumentException("rate and burst must be positive: " + ratePerSecond + ", " + burst);
        }
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
    }

    /** Takes one token if there is one at {@code at}. */
    public synchronized boolean tryAcquire(Instant at) {
        long now = at.getEpochSecond() * 1_000_000_000L + at.getNano(); // epoch nanos: good until 2262
        if (lastNanos != Long.MIN_VALUE && now > lastNanos) {
            tokens = Math.min(burst, tokens + (now - lastNanos) * ratePerNano);
        }
        if (lastNanos == Long.MIN_VALUE || now > lastNanos) {
            lastNanos = now;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
