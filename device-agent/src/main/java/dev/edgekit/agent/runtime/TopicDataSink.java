package dev.edgekit.agent.runtime;

import dev.edgekit.protocol.message.Event;
import dev.edgekit.protocol.message.Message;
import dev.edgekit.protocol.message.Telemetry;
import dev.edgekit.protocol.topic.DeviceTopic;
import dev.edgekit.protocol.topic.Topics;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/** Builds {@link Telemetry} and {@link Event} messages with the per-device {@code seq} and their device topics. */
final class TopicDataSink implements DataSink {
    private final String site;
    private final String id;
    private final AtomicLong seq;
    private final BiConsumer<DeviceTopic, Message> publish;

    TopicDataSink(String site, String id, AtomicLong seq, BiConsumer<DeviceTopic, Message> publish) {
        this.site = site;
        this.id = id;
        this.seq = seq;
        this.publish = publish;
    }

    @Override
    public void telemetry(String channel, double value, String unit, Instant time) {
        publish.accept(Topics.telemetry(site, id, channel),
                new Telemetry(id, seq.getAndIncrement(), channel, value, unit, time));
    }

    @Override
    public void event(String name, Event.Severity severity, Map<String, String> attributes, Instant time) {
        publish.accept(Topics.event(site, id, name),
                new Event(id, seq.getAndIncrement(), name, severity, time, attributes));
    }
}
