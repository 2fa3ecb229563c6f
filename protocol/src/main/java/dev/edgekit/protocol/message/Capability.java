package dev.edgekit.protocol.message;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Objects;

/**
 * Something a device offers: a sensor channel, an actuator, or a command.
 *
 * @param unit the unit of a sensor channel or actuator value ("°C", "%RH", "hPa", "%"); null when it has none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Capability(Kind kind, String name, String unit) {
    public Capability {
        Objects.requireNonNull(kind, "capability kind");
        Fields.requireName(name, "capability name");
    }

    public static Capability sensor(String name, String unit) {
        return new Capability(Kind.SENSOR, name, unit);
    }

    public static Capability actuator(String name, String unit) {
        return new Capability(Kind.ACTUATOR, name, unit);
    }

    public static Capability command(String name) {
        return new Capability(Kind.COMMAND, name, null);
    }

    public enum Kind {
        SENSOR, ACTUATOR, COMMAND;

        @JsonValue
        String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

}
