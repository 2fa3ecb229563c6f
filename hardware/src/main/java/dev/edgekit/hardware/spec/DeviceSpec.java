package dev.edgekit.hardware.spec;

import java.util.regex.Pattern;

/** One configured device. {@link #name()} is its config entry name, unique on a board. */
public sealed interface DeviceSpec permits Bme280Spec, Ds18b20Spec, DigitalInputSpec, DigitalOutputSpec, PwmOutputSpec {
    /** Entry names follow the device-id rule so that channel names ({@code name-quantity}) make valid topic levels. */
    Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,40}");

    String name();

    /** The driver name as written in config ({@code bme280}, {@code ds18b20}, {@code button}, {@code led}, ...). */
    String kind();

    static String checkName(String name, String kind) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(kind + " entry '" + name
                    + "': a name is lower-case letters, digits and hyphens, starting with a letter or digit, at most 41 characters");
        }
        return name;
    }
}
