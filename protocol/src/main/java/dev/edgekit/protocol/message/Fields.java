package dev.edgekit.protocol.message;

import dev.edgekit.protocol.topic.Ids;
import java.util.regex.Pattern;

/** Validation shared by the message records; a failure names the field. */
final class Fields {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}");

    private Fields() {
    }

    static String requireId(String id) {
        return Ids.require(id, "id");
    }

    static String requireName(String name, String field) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(field + " '" + name + "' is not valid: use 1-64 characters of"
                    + " A-Z, a-z, 0-9, '_', '.' and '-'");
        }
        return name;
    }

    static long requireNonNegative(long value, String field) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must be non-negative: " + value);
        }
        return value;
    }

    static <T> T require(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException("missing field '" + field + "'");
        }
        return value;
    }
}
