package dev.edgekit.protocol.message;

/**
 * Every message body edgekit puts on a device topic (ARCHITECTURE.md, Topics). JSON with a schema version {@code v};
 * see {@link Codec}. Each message names its device ({@code id}); consumers check it against the topic's device.
 */
public sealed interface Message permits StateMessage, Heartbeat, Telemetry, Event {
    /** The device id, equal to the topic's device level. */
    String id();
}
