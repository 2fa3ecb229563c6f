package dev.edgekit.protocol.clock;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;

/**
 * Hybrid logical clock (Kulkarni, Demirbas et al., "Logical Physical Clocks", 2014): timestamps that respect causality
 * like Lamport clocks and stay within a bound of physical time. Thread-safe.
 *
 * <p>A remote timestamp more than {@code maxForwardDrift} ahead of our physical clock is not merged: one broken or
 * hostile clock must not drag every device's HLC into the future (the guard CockroachDB calls max offset).
 */
public final class HybridLogicalClock {
    /** Default guard: a peer's clock may run at most this far ahead of ours before we refuse to follow it. */
    public static final Duration DEFAULT_MAX_FORWARD_DRIFT = Duration.ofMinutes(1);

    private final InstantSource physical;
    private final long maxForwardDriftMillis;
    private long wall;
    private int logical;

    public HybridLogicalClock(InstantSource physical) {
        this(physical, DEFAULT_MAX_FORWARD_DRIFT, HlcTimestamp.ZERO);
    }

    /** @param restored the last timestamp issued before a restart, so the clock never goes backwards across one */
    public HybridLogicalClock(InstantSource physical, Duration maxForwardDrift, HlcTimestamp restored) {
        this.physical = Objects.requireNonNull(physical, "physical");
        this.maxForwardDriftMillis = maxForwardDrift.toMillis();
        this.wall = restored.wallMillis();
        this.logical = restored.logical();
    }

    /** A timestamp for a local or send event. */
    public synchronized HlcTimestamp tick() {
        long pt = physical.millis();
        if (pt > wall) {
            wall = pt;
            logical = 0;
        } else {
            logical++;
        }
        return new HlcTimestamp(wall, logical);
    }

    /**
     * Merges a received timestamp and returns the timestamp of the receive event, which is after both the remote
     * timestamp and every earlier local one.
     *
     * @throws ClockDriftException if the remote wall time is beyond the forward-drift guard; the clock is unchanged
     */
    public synchronized HlcTimestamp receive(HlcTimestamp remote) {
        long pt = physical.millis();
        if (remote.wallMillis() - pt > maxForwardDriftMillis) {
            throw new ClockDriftException("remote HLC " + remote + " is " + (remote.wallMillis() - pt)
                    + " ms ahead of the local clock (limit " + maxForwardDriftMillis + " ms)");
        }
        long previous = wall;
        wall = Math.max(previous, Math.max(remote.wallMillis(), pt));
        if (wall == previous && wall == remote.wallMillis()) {
            logical = Math.max(logical, remote.logical()) + 1;
        } else if (wall == previous) {
            logical++;
        } else if (wall == remote.wallMillis()) {
            logical = remote.logical() + 1;
        } else {
            logical = 0;
        }
        return new HlcTimestamp(wall, logical);
    }

    /** The latest timestamp issued, without ticking (for checkpoints and display). */
    public synchronized HlcTimestamp current() {
        return new HlcTimestamp(wall, logical);
    }

    /** Thrown when a remote clock is too far ahead to be merged. */
    public static final class ClockDriftException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ClockDriftException(String message) {
            super(message);
        }
    }
}
