package dev.edgekit.protocol.topic;

/** What a device topic carries; see docs/monitoring.md. */
public enum TopicKind {
    /** Retained birth certificate, or offline/lost. */
    STATE("state", false),
    HEARTBEAT("heartbeat", false),
    TELEMETRY("telemetry", true),
    EVENT("event", true),
    /** Operator commands (MQTT 5 requests). */
    COMMAND("cmd", true),
    /**
     * Retained state of one output ({@code {"v":1,"on":…,"duty":…}}); {@code …/output/{name}/set} below it takes plain
     * commands from clients without MQTT 5 request/response (Home Assistant, Node-RED on MQTT 3.1.1).
     */
    OUTPUT("output", true),
    /** Retained state of one binary input, a button or a motion sensor ({@code {"v":1,"active":…}}). */
    INPUT("input", true);

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
