package dev.edgekit.ubiquitous.election;

import dev.edgekit.protocol.mqtt.MqttSession;
import java.util.function.Consumer;

/** How election messages travel: MQTT in production ({@link #mqtt}), an in-memory bus in unit tests. */
public interface ElectionTransport {

    /** Sends to every member of the site (the sender may receive its own message; the election ignores it). */
    void send(ElectionMessage message);

    /** Registers the one receiver of messages from the other members. */
    void receive(Consumer<ElectionMessage> handler);

    /** Election messages at QoS 1 on {@code edgekit/v1/{site}/$election/{election|answer|coordinator}}. */
    static ElectionTransport mqtt(MqttSession session, String site) {
        return new MqttElectionTransport(session, site);
    }
}
