package dev.edgekit.protocol.delivery;

import java.util.Optional;

/**
 * Exactly-once by (device, seq) over an at-least-once stream, with bounded memory per device: a window of the
 * last {@code window} sequence numbers below the highest seen. Within the window any order and any number of
 * copies are handled exactly; a number that falls out of the window unseen is reported as a gap; anything
 * older than the window is dropped as {@link Verdict#LATE}. Sequence numbers below the first one seen from a
 * device are not gaps (a consumer may join mid-stream), but ones that arrive inside the window are accepted.
 * Thread-safe.
 *
 * <pre>{@code
 * Deduplicator dedup = Deduplicator.create(4096, (device, from, to) -> log.warn("{} lost {}..{}", device, from, to));
 * if (dedup.accept(device, seq) == Verdict.FRESH) { handle(message); }
 * }</pre>
 */
public interface Deduplicator {

    /** A window of {@code window} sequence numbers per device (memory: window/8 bytes per device, twice). */
    static Deduplicator create(int window, GapListener gaps) {
        return new WindowedDeduplicator(window, gaps);
    }

    Verdict accept(String device, long seq);

    /**
     * Gives up on the holes currently inside the device's window (reports them as gaps now rather than when
     * they fall out of the window): call it after a quiet period. A given-up number that still arrives is
     * accepted once and counted as recovered.
     */
    void settle(String device);

    Optional<SequenceStats> stats(String device);

    /** Drops all state of {@code device} (its next sequence number starts a new stream). */
    void forget(String device);
}
