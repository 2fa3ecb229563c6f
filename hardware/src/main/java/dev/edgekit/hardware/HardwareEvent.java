package dev.edgekit.hardware;

import java.time.Instant;

/**
 * Something that happened on the board, for {@code event/{name}}. {@link #device()} is the config entry name,
 * {@link #at()} comes from the board's injected clock.
 */
public sealed interface HardwareEvent {
    String device();

    Instant at();

    /** The event name for the topic, e.g. {@code button-pressed}. */
    String name();

    /**
     * Whether a binary input is active after the event named {@code name} ({@code button-pressed} and
     * {@code motion-detected}: true; their counterparts: false); empty for any other event.
     */
    static java.util.Optional<Boolean> activeAfter(String name) {
        return switch (name) {
            case "button-pressed", "motion-detected" -> java.util.Optional.of(true);
            case "button-released", "motion-cleared" -> java.util.Optional.of(false);
            default -> java.util.Optional.empty();
        };
    }

    record ButtonPressed(String device, Instant at) implements HardwareEvent {
        public String name() {
            return "button-pressed";
        }
    }

    record ButtonReleased(String device, Instant at) implements HardwareEvent {
        public String name() {
            return "button-released";
        }
    }

    record MotionDetected(String device, Instant at) implements HardwareEvent {
        public String name() {
            return "motion-detected";
        }
    }

    record MotionCleared(String device, Instant at) implements HardwareEvent {
        public String name() {
            return "motion-cleared";
        }
    }

    /** A sensor read failed after working (or on its first read); sent once per failure streak. */
    record SensorFault(String device, Instant at, String reason) implements HardwareEvent {
        public String name() {
            return "sensor-fault";
        }
    }

    /** A sensor read succeeded again after a {@link SensorFault}. */
    record SensorRecovered(String device, Instant at) implements HardwareEvent {
        public String name() {
            return "sensor-recovered";
        }
    }
}
