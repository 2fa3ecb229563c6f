package dev.edgekit.hardware;

import java.time.Instant;

/** The health of one configured device. */
public sealed interface DeviceStatus {
    /** Opened and, for a sensor, its last read succeeded (or it has not been read yet). */
    record Working() implements DeviceStatus {
    }

    /** Opened, but its reads fail since {@code since}. */
    record Failing(String reason, Instant since) implements DeviceStatus {
    }

    /** Could not be opened (wrong pin, missing bus, absent chip); the rest of the board works without it. */
    record Unavailable(String reason) implements DeviceStatus {
    }
}
