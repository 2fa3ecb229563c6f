package dev.edgekit.protocol.clock;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Lamport's logical clock (1978): a counter ticked on every send and moved past every received value. Thread-safe.
 *
 * <p>Every value from the network is untrusted: a remote value more than {@code maxJump} ahead of our own is refused
 * (one hostile stamp near {@link Long#MAX_VALUE} would otherwise poison every clock it reaches and make the next tick
 * overflow). Arithmetic saturates at {@link Long#MAX_VALUE}: the clock never overflows and never goes backwards.
 */
public final class LamportClock {
    /**
     * Default bound on how far one received value may move us: 2^32 events. A fleet does not produce four billion
     * messages between two that one device hears, so an honest peer (even a new device joining an old fleet) is never
     * refused, while a hostile one needs 2^31 accepted stamps to reach the saturation point.
     */
    public static final long DEFAULT_MAX_JUMP = 1L << 32;

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
            throw new IllegalArgumentException("Lamport max jump must be positive: " + maxJump);
        }
        this.time = new AtomicLong(restored);
        this.maxJump = maxJump;
    }

    /** The next local value; stays at {@link Long#MAX_VALUE} once there (saturating, never negative). */
    public long tick() {
        return time.updateAndGet(LamportClock::saturatingIncrement);
    }

    /**
     * Merges a received value: the receive event is after it and after every earlier local event.
     *
     * @throws StampRefusedException if the value is negative or more than the max jump ahead of ours (clock unchanged)
     */
    public long receive(long remote) {
        check(remote);
        return time.updateAndGet(local -> saturatingIncrement(Math.max(local, remote)));
    }

    /** Whether {@link #receive} would accept {@code remote} now; throws the same refusal without merging. */
    void check(long remote) {
        if (remote < 0) {
            throw new StampRefusedException(StampRefusedException.Reason.LAMPORT_NEGATIVE,
                    "Lamport time must be non-negative: " + remote);
        }
        long local = time.get();
        if (remote > local && remote - local > maxJump) { // local >= 0, so the subtraction cannot overflow
            throw new StampRefusedException(StampRefusedException.Reason.LAMPORT_TOO_FAR_AHEAD, "remote Lamport time "
                    + remote + " is " + (remote - local) + " ahead of ours (limit " + maxJump + ")");
        }
    }

    public long current() {
        return time.get();
    }

    public long maxJump() {
        return maxJump;
    }

    private static long saturatingIncrement(long value) {
        return value == Long.MAX_VALUE ? Long.MAX_VALUE : value + 1;
    }
}
