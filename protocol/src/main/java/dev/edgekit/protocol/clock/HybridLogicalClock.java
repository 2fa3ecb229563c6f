package dev.edgekit.protocol.clock;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;

/**
 * Hybrid logical clock (Kulkarni, Demirbas et al., "Logical Physical Clocks", 2014): timestamps that respect causality
 * like Lamport clocks and stay within a bound of physical time. Thread-safe.
 *
 * <p>A remote timestamp more than {@code maxForwardDrift} ahead of our physical clock is not merged: one broken or
 * hostile clock must not drag every device's HLC into the future (the guard CockroachDB calls max offset). A remote
 * logical part above {@link #MAX_REMOTE_LOGICAL} is refused too, and the local logical part never overflows: when it
 * would, the wall part moves on by one millisecond instead (the timestamp stays strictly increasing).
 */
public final class HybridLogicalClock {
    /** Default guard: a peer's clock may run at most this far ahead of ours before we refuse to follow it. */
    // 500 ms, CockroachDB's default maximum offset. A synchronised device's disciplined clock is within a few
    // milliseconds of its time server (its published error bound), so an honest peer is two orders of magnitude inside
    // this; a peer that is not yet synchronised may be further off, and then only its stamp is refused (and counted),
    // never its message. The bound is also the most one hostile stamp can pull this clock ahead of physical time.
    public static final Duration DEFAULT_MAX_FORWARD_DRIFT = Duration.ofMillis(500);
    /** Events within one millisecond: no honest peer comes near this, and a value above it could overflow ours. */
    public static final int MAX_REMOTE_LOGICAL = 1 << 20;

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
            bumpLogical(logical);
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
        long pt = check(remote);
        long previous = wall;
        wall = Math.max(previous, Math.max(remote.wallMillis(), pt));
        if (wall == previous && wall == remote.wallMillis()) {
            bumpLogical(Math.max(logical, remote.logical()));
        } else if (wall == previous) {
            bumpLogical(logical);
        } else if (wall == remote.wallMillis()) {
            bumpLogical(remote.logical());
        } else {
            logical = 0;
        }
        return new HlcTimestamp(wall, logical);
    }

    /** Refuses a remote timestamp {@link #receive} must not merge; returns the physical time it was checked at. */
    synchronized long check(HlcTimestamp remote) {
        long pt = physical.millis();
        if (remote.wallMillis() - pt > maxForwardDriftMillis) { // both non-negative: no overflow
            throw new ClockDriftException("remote HLC " + remote + " is " + (remote.wallMillis() - pt)
                    + " ms ahead of the local clock (limit " + maxForwardDriftMillis + " ms)");
        }
        if (remote.logical() > MAX_REMOTE_LOGICAL) {
            throw new StampRefusedException(StampRefusedException.Reason.HLC_LOGICAL_TOO_LARGE, "remote HLC " + remote
                    + " has a logical part above " + MAX_REMOTE_LOGICAL);
        }
        return pt;
    }

    /** Sets the logical part to {@code from + 1}, or moves the wall part on when that would overflow. */
    private void bumpLogical(int from) {
        if (from == Integer.MAX_VALUE && wall == Long.MAX_VALUE) {
            logical = Integer.MAX_VALUE; // saturated: the end of time, unreachable past the forward guard
        } else if (from == Integer.MAX_VALUE) {
            wall++;
            logical = 0;
        } else {
            logical = from + 1;
        }
    }

    /** The latest timestamp issued, without ticking (for checkpoints and display). */
    public synchronized HlcTimestamp current() {
        return new HlcTimestamp(wall, logical);
    }

    /** Thrown when a remote clock is too far ahead to be merged. */
    public static final class ClockDriftException extends StampRefusedException {
        private static final long serialVersionUID = 1L;

        ClockDriftException(String message) {
            super(Reason.HLC_TOO_FAR_AHEAD, message);
        }
    }
}
