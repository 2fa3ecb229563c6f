package dev.edgekit.hardware.spec;

import java.util.Objects;

/** A digital output on BCM GPIO {@code pin} (LED, relay), off when opened and when the board closes. */
public record DigitalOutputSpec(String name, OutputKind outputKind, int pin, ActiveLevel activeLevel) implements DeviceSpec {
    public DigitalOutputSpec {
        DeviceSpec.checkName(name, "output");
        Objects.requireNonNull(outputKind, "outputKind");
        Objects.requireNonNull(activeLevel, "activeLevel");
    }

    public static DigitalOutputSpec led(String name, int pin) {
        return new DigitalOutputSpec(name, OutputKind.LED, pin, ActiveLevel.HIGH);
    }

    public static DigitalOutputSpec relay(String name, int pin) {
        return new DigitalOutputSpec(name, OutputKind.RELAY, pin, ActiveLevel.HIGH);
    }

    @Override
    public String kind() {
        return outputKind == OutputKind.LED ? "led" : "relay";
    }
}
