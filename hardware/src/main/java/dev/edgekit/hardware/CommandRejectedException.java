package dev.edgekit.hardware;

/** An actuator command was refused; {@link #reason()} lets the agent reply with a typed error. */
public final class CommandRejectedException extends HardwareException {
    public enum Reason { UNKNOWN_ACTUATOR, NOT_SUPPORTED, OUT_OF_RANGE, UNAVAILABLE, FAILED }

    private final String actuator;
    private final Reason reason;

    public CommandRejectedException(String actuator, Reason reason, String message) {
        super(actuator + ": " + message);
        this.actuator = actuator;
        this.reason = reason;
    }

    public CommandRejectedException(String actuator, Reason reason, String message, Throwable cause) {
        super(actuator + ": " + message, cause);
        this.actuator = actuator;
        this.reason = reason;
    }

    public String actuator() {
        return actuator;
    }

    public Reason reason() {
        return reason;
    }
}
