package dev.edgekit.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A clock that moves only when told to. It is a {@link Clock} (and so an {@link java.time.InstantSource}),
 * so production code that takes either can be driven by a test. Thread-safe.
 */
public final class FakeClock extends Clock {
    private final ZoneId zone;
    private volatile Instant now;

    public FakeClock(Instant start) {
        this(start, ZoneOffset.UTC);
    }

    private FakeClock(Instant start, ZoneId zone) {
        this.now = Objects.requireNonNull(start, "start");
        this.zone = zone;
    }

    /** A clock at a fixed, recognisable instant: 2026-01-01T00:00:00Z. */
    public static FakeClock atEpochOf2026() {
        return new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
    }

    public synchronized Instant advance(Duration step) {
        if (step.isNegative()) {
            throw new IllegalArgumentException("a fake clock only moves forward; use set() to step back: " + step);
        }
        now = now.plus(step);
        return now;
    }

    /** Sets the time, backwards too (to model a stepped system clock). */
    public synchronized void set(Instant instant) {
        now = Objects.requireNonNull(instant, "instant");
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        // shares nothing: a zoned view of a fake clock is rarely wanted, so keep it simple and explicit
        throw new UnsupportedOperationException("FakeClock is UTC only");
    }

    @Override
    public String toString() {
        return "FakeClock[" + now + "]";
    }
}
