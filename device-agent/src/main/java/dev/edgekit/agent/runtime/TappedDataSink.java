package dev.edgekit.agent.runtime;

import dev.edgekit.protocol.message.Event;
import java.time.Instant;
import java.util.Map;

/** A {@link DataSink} that tells the agent's listeners of each sample and event once it is in the outbox. */
record TappedDataSink(DataSink sink, AgentListener tap) implements DataSink {
    @Override
    public void telemetry(String channel, double value, String unit, Instant time) {
        sink.telemetry(channel, value, unit, time);
        tap.telemetry(channel, value, unit, time);
    }

    @Override
    public void event(String name, Event.Severity severity, Map<String, String> attributes, Instant time) {
        sink.event(name, severity, attributes, time);
        tap.event(name, severity, attributes, time);
    }
}
