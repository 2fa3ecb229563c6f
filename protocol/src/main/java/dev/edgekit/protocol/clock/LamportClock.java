package dev.edgekit.protocol.clock;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Lamport's logical clock (1978): a counter ticked on every send and moved past every received value. Thread-safe.
 *
 * <p>Received values are untrusted. A value more than {@link #maxJump} ahead of ours, or beyond {@link #CEILING}, is
 * refused ({@link ImplausibleStampException}, the clock unchanged): one message near {@code Long.MAX_VALUE} would
 * otherwise carry every clock it reaches to overflow. Legitimate clocks stay far below both bounds: a device that
 * sends a thousand messages a second takes 50 days to advance by 2<sup>32</sup>. Ticks saturate at
 * {@code Long.MAX_VALUE} instead of overflowing, so a clock restored from a damaged checkpoint still never throws.
 */
public final class LamportClock {
    /** Default largest step a single received value may move this clock forward. */
    public static final long DEFAULT_MAX_JUMP = 1L << 32;
    /** No received value above this is plausible (2<sup>53</sup>: also the largest integer JSON readers keep exact). */
    public static final long CEILING = 1L << 53;

    private final AtomicLong time;
    private final long maxJump;

    public LamportClock() {
        this(0);
    }

    /** @param restored the last value issued before a restart */
    public LamportClock(long restored) {
        this(restored, DEFAULT_MAX_JUMP);
    }

    public LamportClock(long restored, long maxJump) {
        if (restored < 0) {
            throw new IllegalArgumentException("Lamport time must be non-negative: " + restored);
        }
        if (maxJump < 1) {
            throw new IllegalArgumentException("maxJump must be positive: " + maxJump);
        }
        this.time = new AtomicLong(restored);
        this.maxJump = maxJump;
    }

    public long tick() {
        return time.updateAndGet(LamportClock::next);
    }

    /**
     * Merges a received value: the receive event is after it and after every earlier local event.
     *
     * @throws ImplausibleStampException when the value is negative, beyond {@link #CEILING} or more than the maximum
     *                                   jump ahead of this clock; the clock is unchanged
     */
    public long receive(long remote) {
        if (remote < 0 || remote > CEILING) {
            throw new ImplausibleStampException("Lamport time " + remote + " is outside 0.." + CEILING);
        }
        long local = time.get();
        if (remote > local && remote - local > maxJump) {
            throw new ImplausibleStampException("Lamport time " + remote + " is " + (remote - local)
                    + " ahead of ours (limit " + maxJump + ")");
        }
        return time.updateAndGet(t -> next(Math.max(t, remote)));
    }

    public long current() {
        return time.get();
    }

    private static long next(long t) {
        return t == Long.MAX_VALUE ? t : t + 1;
    }
}
