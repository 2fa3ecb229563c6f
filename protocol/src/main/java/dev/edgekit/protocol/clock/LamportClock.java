package dev.edgekit.protocol.clock;

import java.util.concurrent.atomic.AtomicLong;

/** Lamport's logical clock (1978): a counter ticked on every send and moved past every received value. Thread-safe. */
public final class LamportClock {
    private final AtomicLong time;

    public LamportClock() {
        this(0);
    }

    /** @param restored the last value issued before a restart */
    public LamportClock(long restored) {
        if (restored < 0) {
            throw new IllegalArgumentException("Lamport time must be non-negative: " + restored);
        }
        this.time = new AtomicLong(restored);
    }

    public long tick() {
        return time.incrementAndGet();
    }

    /** Merges a received value: the receive event is after it and after every earlier local event. */
    public long receive(long remote) {
        if (remote < 0) {
            throw new IllegalArgumentException("Lamport time must be non-negative: " + remote);
        }
        return time.updateAndGet(local -> Math.max(local, remote) + 1);
    }

    public long current() {
        return time.get();
    }
}
