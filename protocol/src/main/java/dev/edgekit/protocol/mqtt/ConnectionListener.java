package dev.edgekit.protocol.mqtt;

/** Told of every connect and disconnect, on the session's handler executor, in order with inbound messages. */
public interface ConnectionListener {
    /** @param sessionPresent whether the broker kept state from an earlier session (MQTT 5 session present) */
    void connected(String serverUri, boolean sessionPresent);

    void disconnected(Throwable cause);
}
