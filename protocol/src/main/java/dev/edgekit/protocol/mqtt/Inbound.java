package dev.edgekit.protocol.mqtt;

import dev.edgekit.protocol.clock.Stamp;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A received message.
 *
 * @param receivedAt     the session clock's reading taken first thing on arrival (clock sync uses it as t2/t4)
 * @param stamp          the sender's logical stamp, when it carried a valid one
 * @param userProperties all user properties, including {@code hlc} and {@code lamport}
 * @param responseTopic  MQTT 5 response topic of a request, or null
 * @param correlationData MQTT 5 correlation data of a request or reply, or null
 */
public record Inbound(String topic, byte[] payload, int qos, boolean retained, boolean duplicate,
        Map<String, String> userProperties, Optional<Stamp> stamp, String responseTopic, byte[] correlationData,
        Instant receivedAt) {

    public boolean isRequest() {
        return responseTopic != null;
    }
}
