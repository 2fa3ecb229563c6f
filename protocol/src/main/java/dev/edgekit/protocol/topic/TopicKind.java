package dev.edgekit.protocol.topic;

/** What a device topic carries; see ARCHITECTURE.md, Topics. */
public enum TopicKind {
    /** Retained birth certificate, or offline/lost. */
    STATE("state", false),
    HEARTBEAT("heartbeat", false),
    TELEMETRY("telemetry", true),
    EVENT("event", true),
    /** Operator commands (MQTT 5 requests). */
    COMMAND("cmd", true);

    private final String segment;
    private final boolean named;

    TopicKind(String segment, boolean named) {
        this.segment = segment;
        this.named = named;
    }

    /** The topic level that names this kind, e.g. "telemetry". */
    public String segment() {
        return segment;
    }

    /** Whether the kind has a further name level: telemetry/{channel}, event/{name}, cmd/{name}. */
    public boolean named() {
        return named;
    }

    static TopicKind bySegment(String segment) {
        for (TopicKind kind : values()) {
            if (kind.segment.equals(segment)) {
                return kind;
            }
        }
        return null;
    }
}
