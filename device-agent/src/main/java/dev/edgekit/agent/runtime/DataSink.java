package dev.edgekit.agent.runtime;

import dev.edgekit.protocol.message.Event;
import java.time.Instant;
import java.util.Map;

/**
 * Where telemetry and events go. The agent's implementation ({@link TopicDataSink}) numbers them with the device's
 * data sequence and hands each to one publish method, where the durable outbox slots in; tests record them.
 */
interface DataSink {
    void telemetry(String channel, double value, String unit, Instant time);

    void event(String name, Event.Severity severity, Map<String, String> attributes, Instant time);
}
