package dev.edgekit.agent.outbox;

import java.util.Objects;
import java.util.function.LongFunction;

/**
 * Something to append. The payload is produced from the sequence number the outbox assigns, so a message
 * body can carry its own {@code seq}; {@link #of} wraps fixed bytes. The encoder runs on the outbox's writer
 * thread while the sequence number is assigned: it must be quick and must not call back into the outbox.
 */
public record NewEntry(String topic, EntryKind kind, int qos, LongFunction<byte[]> payload) {
    public NewEntry {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(payload, "payload");
        if (topic.isEmpty()) {
            throw new IllegalArgumentException("empty topic");
        }
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("qos must be 0, 1 or 2: " + qos);
        }
    }

    /** Fixed bytes (copied), QoS 1. */
    public static NewEntry of(String topic, EntryKind kind, byte[] payload) {
        byte[] copy = payload.clone();
        return new NewEntry(topic, kind, 1, seq -> copy);
    }

    public static NewEntry telemetry(String topic, LongFunction<byte[]> payload) {
        return new NewEntry(topic, EntryKind.TELEMETRY, 1, payload);
    }

    public static NewEntry event(String topic, LongFunction<byte[]> payload) {
        return new NewEntry(topic, EntryKind.EVENT, 1, payload);
    }
}
