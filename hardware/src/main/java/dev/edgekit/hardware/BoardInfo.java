package dev.edgekit.hardware;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the board is: its model ("Raspberry Pi 4 Model B", "simulated"), its serial number when one is known, and the
 * device id the agent uses unless configured otherwise. The id always matches {@link #DEVICE_ID}.
 */
public record BoardInfo(String model, Optional<String> serial, String defaultDeviceId, boolean simulated) {
    /** The device-id rule of the topic tree (ARCHITECTURE.md, Topics). */
    public static final Pattern DEVICE_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    public BoardInfo {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(serial, "serial");
        if (!DEVICE_ID.matcher(defaultDeviceId).matches()) {
            throw new IllegalArgumentException("not a valid device id: '" + defaultDeviceId + "'");
        }
    }

    /**
     * Turns free text (a serial number, a host name) into a device id: lower case, runs of other characters become one
     * hyphen, leading/trailing hyphens dropped, at most 63 characters. Empty when nothing usable is left.
     */
    public static Optional<String> deviceIdFrom(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String id = text.trim().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (id.length() > 63) {
            id = id.substring(0, 63).replaceAll("-+$", "");
        }
        return DEVICE_ID.matcher(id).matches() ? Optional.of(id) : Optional.empty();
    }
}
