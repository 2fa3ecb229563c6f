package dev.edgekit.protocol.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a shadow document may contain, enforced on every side (keeper, device, CLI) because every payload is
 * untrusted. The bounds follow AWS IoT's device shadow limits: 8 KB per document, nesting at most 6 deep.
 * A state is a JSON object whose keys are short names and whose leaves are strings, numbers, booleans or
 * {@code null} (a {@code null} in an update deletes the key); arrays are not allowed, so a merge is always by key.
 */
public final class ShadowLimits {
    /** Largest encoded document (desired, reported or update request), in bytes. */
    public static final int MAX_DOCUMENT_BYTES = 8 * 1024;
    /** Deepest nesting of objects inside {@code state}; the state object itself is depth 1. */
    public static final int MAX_DEPTH = 6;
    /** Most keys in one state, counted over all levels. */
    public static final int MAX_KEYS = 128;
    /** Longest string leaf. */
    public static final int MAX_STRING_CHARS = 256;
    /** Versions are JSON-safe integers (2^53 - 1), so every client language reads them exactly. */
    public static final long MAX_VERSION = (1L << 53) - 1;

    private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,63}");

    private ShadowLimits() {
    }

    /** Checks a state object; the message names the offending key path. */
    public static void requireValidState(JsonNode state) throws ShadowException {
        if (state == null || !state.isObject()) {
            throw new ShadowException("state: must be a JSON object");
        }
        int keys = check(state, "state", 1);
        if (keys > MAX_KEYS) {
            throw new ShadowException("state: " + keys + " keys, at most " + MAX_KEYS);
        }
    }

    public static void requireValidVersion(String field, long version) throws ShadowException {
        if (version < 0 || version > MAX_VERSION) {
            throw new ShadowException(field + ": " + version + " outside 0.." + MAX_VERSION);
        }
    }

    private static int check(JsonNode object, String path, int depth) throws ShadowException {
        if (depth > MAX_DEPTH) {
            throw new ShadowException(path + ": nested deeper than " + MAX_DEPTH);
        }
        int keys = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = path + "." + field.getKey();
            if (!KEY.matcher(field.getKey()).matches()) {
                throw new ShadowException(name + ": key must match " + KEY.pattern());
            }
            JsonNode value = field.getValue();
            keys++;
            if (value.isObject()) {
                keys += check(value, name, depth + 1);
            } else if (value.isArray()) {
                throw new ShadowException(name + ": arrays are not allowed (use an object keyed by name)");
            } else if (value.isTextual() && value.textValue().length() > MAX_STRING_CHARS) {
                throw new ShadowException(name + ": string longer than " + MAX_STRING_CHARS);
            } else if (!(value.isTextual() || value.isNumber() || value.isBoolean() || value.isNull())) {
                throw new ShadowException(name + ": unsupported value type " + value.getNodeType());
            }
            if (keys > MAX_KEYS) {
                throw new ShadowException("state: more than " + MAX_KEYS + " keys");
            }
        }
        return keys;
    }
}
