package dev.edgekit.hardware.spec;

import java.time.Duration;
import java.util.Objects;

/**
 * A digital input on BCM GPIO {@code pin}, debounced: a level counts once it has held for {@code debounce}.
 * Typical: a button to ground with {@link Pull#UP}, {@link ActiveLevel#LOW}, 20 ms; a PIR with {@link Pull#DOWN},
 * {@link ActiveLevel#HIGH}, 0 ms (the PIR does its own filtering).
 */
public record DigitalInputSpec(String name, InputKind inputKind, int pin, Pull pull, ActiveLevel activeLevel, Duration debounce)
        implements DeviceSpec {
    public DigitalInputSpec {
        DeviceSpec.checkName(name, "input");
        Objects.requireNonNull(inputKind, "inputKind");
        Objects.requireNonNull(pull, "pull");
        Objects.requireNonNull(activeLevel, "activeLevel");
        Objects.requireNonNull(debounce, "debounce");
        if (debounce.isNegative() || debounce.compareTo(Duration.ofSeconds(10)) > 0) {
            throw new IllegalArgumentException(inputKind.name().toLowerCase() + " entry '" + name
                    + "': debounce must be between 0 and 10 s, was " + debounce);
        }
    }

    /** A button between the pin and ground: pull-up, active low, 20 ms debounce. */
    public static DigitalInputSpec button(String name, int pin) {
        return new DigitalInputSpec(name, InputKind.BUTTON, pin, Pull.UP, ActiveLevel.LOW, Duration.ofMillis(20));
    }

    /** A PIR motion sensor output: pull-down, active high, no debounce. */
    public static DigitalInputSpec motion(String name, int pin) {
        return new DigitalInputSpec(name, InputKind.MOTION, pin, Pull.DOWN, ActiveLevel.HIGH, Duration.ZERO);
    }

    @Override
    public String kind() {
        return inputKind == InputKind.BUTTON ? "button" : "motion";
    }
}
