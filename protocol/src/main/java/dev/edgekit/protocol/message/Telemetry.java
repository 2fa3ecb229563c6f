package dev.edgekit.protocol.message;

import java.time.Instant;
import java.util.Objects;

/**
 * One sensor reading (QoS 1, through the outbox).
 *
 * @param seq  per-device sequence number, shared with events; consumers drop duplicates by (device, seq)
 * @param time when the reading was taken, on the device's disciplined clock
 */
public record Telemetry(String id, long seq, String channel, double value, String unit, Instant time)
        implements Message {
    public Telemetry {
        Fields.requireId(id);
        Fields.requireNonNegative(seq, "seq");
        Fields.requireName(channel, "channel");
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("value must be a finite number: " + value);
        }
        Objects.requireNonNull(unit, "unit");
        Fields.require(time, "time");
    }
}
