package dev.edgekit.agent.outbox;

import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/** A stored entry, as the drainer publishes it. {@code payload} is not copied: do not modify it. */
public record OutboxEntry(long seq, EntryKind kind, int qos, String topic, byte[] payload, Instant createdAt) {
    public OutboxEntry {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** What the entry counts against the byte bound: payload plus UTF-8 topic. */
    long size() {
        return sizeOf(topic, payload);
    }

    static long sizeOf(String topic, byte[] payload) {
        return (long) payload.length + topic.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OutboxEntry e && seq == e.seq && kind == e.kind && qos == e.qos
                && topic.equals(e.topic) && Arrays.equals(payload, e.payload) && createdAt.equals(e.createdAt);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(seq) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        String body = payload.length <= 32 ? HexFormat.of().formatHex(payload) : payload.length + " bytes";
        return "OutboxEntry[seq=" + seq + ", " + kind + ", qos=" + qos + ", " + topic + ", " + body + ", " + createdAt + "]";
    }
}
