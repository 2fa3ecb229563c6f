package dev.edgekit.agent.runtime;

import dev.edgekit.hardware.ActuatorState;
import dev.edgekit.protocol.message.Event;
import dev.edgekit.protocol.mqtt.ConnectionListener;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.protocol.mqtt.Outgoing;
import dev.edgekit.protocol.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The retained state of each output ({@code …/output/{name}}: {@code {"v":1,"on":true,"duty":40}}) after every change,
 * whoever made it, and at every connect; and of each binary input ({@code …/input/{name}}: {@code {"v":1,"active":
 * true}}) at every edge. Clients without MQTT 5 request/response (Home Assistant, Node-RED on MQTT 3.1.1) read state
 * there, and a Home Assistant switch or binary sensor needs one topic that carries both of its states; the events
 * ({@code button-pressed}, {@code button-released}) are two topics.
 */
final class StateTopics implements AgentListener, ConnectionListener {
    private static final Logger log = LoggerFactory.getLogger(StateTopics.class);

    private final String site;
    private final String id;
    private final MqttSession session;
    private final Supplier<java.util.List<ActuatorState>> outputs;

    StateTopics(String site, String id, MqttSession session, Supplier<java.util.List<ActuatorState>> outputs) {
        this.site = site;
        this.id = id;
        this.session = session;
        this.outputs = outputs;
    }

    @Override
    public void connected(String serverUri, boolean sessionPresent) {
        outputs.get().forEach(this::outputChanged);
    }

    @Override
    public void disconnected(Throwable cause) {
    }

    @Override
    public void outputChanged(ActuatorState state) {
        publish(Topics.output(site, id, state.name()).topic(), String.format(Locale.ROOT,
                "{\"v\":1,\"on\":%b,\"duty\":%d}", state.on(), state.dutyCyclePercent()));
    }

    @Override
    public void event(String name, Event.Severity severity, Map<String, String> attributes, Instant time) {
        String device = attributes.get("device");
        if (device != null) {
            dev.edgekit.hardware.HardwareEvent.activeAfter(name).ifPresent(active ->
                    publish(Topics.input(site, id, device).topic(), "{\"v\":1,\"active\":" + active + "}"));
        }
    }

    private void publish(String topic, String json) {
        if (!session.isConnected()) {
            return; // outputs are published again at the next connect
        }
        session.publish(Outgoing.retained(topic, json.getBytes(StandardCharsets.UTF_8), 1)).whenComplete((ok, e) -> {
            if (e != null) {
                log.debug("{}: state on {} not published: {}", id, topic, e.getMessage());
            }
        });
    }
}
