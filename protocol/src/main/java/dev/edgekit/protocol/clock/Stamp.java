package dev.edgekit.protocol.clock;

import java.util.Objects;

/** The logical time a message carries: its Lamport time and its HLC timestamp (MQTT 5 user properties). */
public record Stamp(long lamport, HlcTimestamp hlc) {
    /** User property names on every edgekit publish. */
    public static final String LAMPORT_PROPERTY = "lamport";
    public static final String HLC_PROPERTY = "hlc";

    public Stamp {
        Objects.requireNonNull(hlc, "hlc");
        if (lamport < 0) {
            throw new IllegalArgumentException("Lamport time must be non-negative: " + lamport);
        }
    }
}
