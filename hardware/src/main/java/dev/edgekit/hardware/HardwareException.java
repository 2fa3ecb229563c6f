package dev.edgekit.hardware;

/** Base of the hardware layer's exceptions; messages name the config entry involved when there is one. */
public class HardwareException extends RuntimeException {
    public HardwareException(String message) {
        super(message);
    }

    public HardwareException(String message, Throwable cause) {
        super(message, cause);
    }
}
