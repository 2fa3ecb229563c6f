package dev.edgekit.agent.runtime;

import dev.edgekit.protocol.message.Codec;
import dev.edgekit.protocol.message.Event;
import dev.edgekit.protocol.message.Telemetry;
import dev.edgekit.protocol.topic.Topics;
import java.time.Instant;
import java.util.Map;

/**
 * Telemetry and events into the durable outbox: the outbox assigns the per-device {@code seq} at append, and the JSON
 * body carries that same number, so consumers de-duplicate by (device, seq).
 */
final class TopicDataSink implements DataSink {
    private final String site;
    private final String id;
    private final Delivery delivery;
    private final Codec codec;
    /** Topic strings by channel: built and checked once, not for every sample (a board has a handful of channels). */
    private static final int MAX_CACHED_TOPICS = 256;
    private final Map<String, String> telemetryTopics = new java.util.concurrent.ConcurrentHashMap<>();

    TopicDataSink(String site, String id, Delivery delivery, Codec codec) {
        this.site = site;
        this.id = id;
        this.delivery = delivery;
        this.codec = codec;
    }

    @Override
    public void telemetry(String channel, double value, String unit, Instant time) {
        String topic = telemetryTopics.get(channel);
        if (topic == null) {
            topic = Topics.telemetry(site, id, channel).topic(); // throws for a bad name: nothing is kept then
            if (telemetryTopics.size() < MAX_CACHED_TOPICS) {
                telemetryTopics.put(channel, topic);
            }
        }
        delivery.telemetry(topic,
                seq -> codec.encode(new Telemetry(id, seq, channel, value, unit, time)));
    }

    @Override
    public void event(String name, Event.Severity severity, Map<String, String> attributes, Instant time) {
        delivery.event(Topics.event(site, id, name).topic(),
                seq -> codec.encode(new Event(id, seq, name, severity, time, attributes)));
    }
}
