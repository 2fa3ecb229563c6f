package dev.edgekit.protocol.message;

import dev.edgekit.protocol.topic.Ids;

/** Validation shared by the message records; a failure names the field. */
final class Fields {
    private Fields() {
    }

    static String requireId(String id) {
        return Ids.require(id, "id");
    }

    static String requireName(String name, String field) {
        if (!dev.edgekit.protocol.topic.Topics.isValidName(name)) {
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
