package dev.edgekit.protocol.mqtt;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A message to publish. The session adds the {@code hlc} and {@code lamport} user properties itself.
 *
 * @param userProperties extra MQTT 5 user properties (not {@code hlc}/{@code lamport})
 * @param messageExpiry  MQTT 5 message expiry, null for none
 */
public record Outgoing(String topic, byte[] payload, int qos, boolean retain, Map<String, String> userProperties,
        Duration messageExpiry) {
    public Outgoing {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("QoS must be 0, 1 or 2: " + qos);
        }
        userProperties = userProperties == null ? Map.of() : Map.copyOf(userProperties);
    }

    public static Outgoing of(String topic, byte[] payload, int qos) {
        return new Outgoing(topic, payload, qos, false, Map.of(), null);
    }

    public static Outgoing retained(String topic, byte[] payload, int qos) {
        return new Outgoing(topic, payload, qos, true, Map.of(), null);
    }
}
