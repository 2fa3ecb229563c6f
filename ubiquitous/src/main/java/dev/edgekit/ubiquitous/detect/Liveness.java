package dev.edgekit.ubiquitous.detect;

import java.util.Locale;

/** What a consumer believes about a device right now. */
public enum Liveness {
    /** Born, heartbeats arriving as expected. */
    ONLINE,
    /** Heartbeats late enough that the detector's suspicion crossed its threshold; may come back. */
    SUSPECT,
    /** Silent for longer than {@link DetectorConfig#lostAfter()}: declared dead by this consumer (an inference). */
    LOST,
    /** Its Will or a graceful stop said so (the fast path through the broker). */
    OFFLINE,
    /** Messages seen but no birth certificate yet. */
    UNKNOWN;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether a member in this state may take part in an election. */
    public boolean alive() {
        return this == ONLINE || this == UNKNOWN;
    }
}
