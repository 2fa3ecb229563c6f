package dev.edgekit.agent.runtime;

import dev.edgekit.hardware.ActuatorState;
import dev.edgekit.protocol.message.Event;
import java.time.Instant;
import java.util.Map;

/**
 * What an agent did, for the projections built on it ({@link Projection}): each sample and event as it enters the
 * outbox, and each output change, whoever asked for it (an MQTT 5 command, a plain-topic command, the shadow). Called
 * on the thread that did it; an implementation must not block. One that throws is logged and the others still run.
 */
public interface AgentListener {
    default void telemetry(String channel, double value, String unit, Instant time) {
    }

    default void event(String name, Event.Severity severity, Map<String, String> attributes, Instant time) {
    }

    default void outputChanged(ActuatorState state) {
    }
}
