package dev.edgekit.agent.outbox;

/** What an outbox entry carries; decides what the overflow policy drops first. */
public enum EntryKind {
    /** Periodic samples: the oldest are dropped first when the outbox is full. */
    TELEMETRY,
    /** Discrete events (button, threshold, fault): kept while any telemetry can be dropped instead. */
    EVENT;

    String column() {
        return this == TELEMETRY ? "telemetry" : "event";
    }

    static EntryKind ofColumn(String value) {
        return switch (value) {
            case "telemetry" -> TELEMETRY;
            case "event" -> EVENT;
            default -> throw new IllegalStateException("unknown outbox entry kind in database: " + value);
        };
    }
}
