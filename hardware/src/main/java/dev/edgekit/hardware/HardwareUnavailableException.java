package dev.edgekit.hardware;

/**
 * A real board was asked for where there is none (no Raspberry Pi, no usable Pi4J provider). edgekit never falls back
 * to simulated hardware by itself; the message says how to choose it.
 */
public final class HardwareUnavailableException extends HardwareException {
    public static final String HOW_TO_SIMULATE =
            "To run without real hardware, choose simulated hardware: set 'board: simulated' in agent.yaml"
                    + " or pass --simulated on the command line.";

    public HardwareUnavailableException(String reason) {
        super(reason + ". " + HOW_TO_SIMULATE);
    }

    public HardwareUnavailableException(String reason, Throwable cause) {
        super(reason + ". " + HOW_TO_SIMULATE, cause);
    }
}
