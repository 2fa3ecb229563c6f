package dev.edgekit.protocol.mqtt;

import java.time.Duration;
import java.util.Objects;

/**
 * The Last Will registered at connect: the broker publishes it when the session ends without a clean DISCONNECT.
 *
 * @param delay MQTT 5 will delay: the broker waits this long (a reconnect within it cancels the Will)
 */
public record Will(String topic, byte[] payload, int qos, boolean retain, Duration delay) {
    public Will {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        delay = delay == null ? Duration.ZERO : delay;
        if (delay.isNegative()) {
            throw new IllegalArgumentException("will delay must not be negative: " + delay);
        }
    }
}
