package dev.edgekit.protocol.message;

import java.time.Instant;
import java.util.Map;

/**
 * A discrete event: a button press, a threshold crossed, a sensor fault (QoS 1, through the outbox).
 *
 * @param seq        per-device sequence number, shared with telemetry
 * @param attributes free-form details, e.g. {@code {"state": "pressed"}}
 */
public record Event(String id, long seq, String name, Severity severity, Instant time, Map<String, String> attributes)
        implements Message {
    public Event {
        Fields.requireId(id);
        Fields.requireNonNegative(seq, "seq");
        Fields.requireName(name, "name");
        severity = severity == null ? Severity.INFO : severity;
        Fields.require(time, "time");
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    public enum Severity {
        INFO, WARNING, ERROR;

        @com.fasterxml.jackson.annotation.JsonValue
        String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
