package dev.edgekit.protocol.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * {@code delta = desired − reported}: every desired leaf whose reported value differs (refused keys stay in it,
 * since the device does not run them). Computed by readers from the two retained documents, so it needs no
 * third writer and is never stale relative to what the reader saw.
 */
public final class ShadowDelta {
    private ShadowDelta() {
    }

    public static ObjectNode of(Desired desired, Reported reported) {
        return diff(desired.state(), reported == null ? JsonNodeFactory.instance.objectNode() : reported.state());
    }

    private static ObjectNode diff(JsonNode desired, JsonNode reported) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = desired.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode want = field.getValue();
            JsonNode have = reported.get(field.getKey());
            if (want.isObject() && have != null && have.isObject()) {
                ObjectNode inner = diff(want, have);
                if (!inner.isEmpty()) {
                    out.set(field.getKey(), inner);
                }
            } else if (have == null || !sameValue(want, have)) {
                out.set(field.getKey(), want);
            }
        }
        return out;
    }

    // 40 and 40.0 are the same duty cycle.
    private static boolean sameValue(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.equals(b);
    }
}
