package dev.edgekit.hardware.spec;

import java.util.Objects;

/**
 * A hardware PWM output on BCM GPIO {@code pin} (12 or 18 for PWM channel 0, 13 or 19 for channel 1; needs
 * {@code dtoverlay=pwm-2chan}), at {@code frequency} (25 kHz for 4-pin PC fans), off when opened.
 */
public record PwmOutputSpec(String name, int pin, Frequency frequency) implements DeviceSpec {
    public PwmOutputSpec {
        DeviceSpec.checkName(name, "pwm");
        Objects.requireNonNull(frequency, "frequency");
    }

    @Override
    public String kind() {
        return "pwm";
    }
}
