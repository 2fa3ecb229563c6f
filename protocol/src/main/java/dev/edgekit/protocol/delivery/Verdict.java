package dev.edgekit.protocol.delivery;

/** What to do with a received (device, seq). */
public enum Verdict {
    /** First time seen: process it. */
    FRESH,
    /** Seen before, within the window: drop it. */
    DUPLICATE,
    /** Older than the window (a very late duplicate, or an entry already given up as missing): drop it. */
    LATE
}
