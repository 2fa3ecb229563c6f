package dev.edgekit.agent.runtime;

import dev.edgekit.protocol.message.Event;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link DataSink} that keeps what it is given. */
final class RecordingSink implements DataSink {
    record Sample(String channel, double value, String unit, Instant time) {
    }

    record Published(String name, Event.Severity severity, Map<String, String> attributes, Instant time) {
    }

    final List<Sample> telemetry = new CopyOnWriteArrayList<>();
    final List<Published> events = new CopyOnWriteArrayList<>();

    @Override
    public void telemetry(String channel, double value, String unit, Instant time) {
        telemetry.add(new Sample(channel, value, unit, time));
    }

    @Override
    public void event(String name, Event.Severity severity, Map<String, String> attributes, Instant time) {
        events.add(new Published(name, severity, attributes, time));
    }

    List<Sample> of(String channel) {
        return telemetry.stream().filter(s -> s.channel().equals(channel)).toList();
    }
}
