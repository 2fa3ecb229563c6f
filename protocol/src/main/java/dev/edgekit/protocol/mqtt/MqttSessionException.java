package dev.edgekit.protocol.mqtt;

/** A failed MQTT operation: not connected, refused by the broker (with its MQTT 5 reason code), or closed. */
public final class MqttSessionException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int reasonCode;

    MqttSessionException(String message, int reasonCode, Throwable cause) {
        super(message, cause);
        this.reasonCode = reasonCode;
    }

    /** The MQTT 5 or Paho reason code, -1 when there is none. */
    public int reasonCode() {
        return reasonCode;
    }
}
