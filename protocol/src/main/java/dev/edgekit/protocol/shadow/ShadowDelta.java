package dev.edgekit.protocol.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * {@code delta = desired − reported}: every desired leaf whose reported value differs (refused keys stay in it,
 * since the device does not run them). Computed by readers from the two retained documents, so it needs no
 * third writer and is never stale relative to what the reader saw.
 */
public final class ShadowDelta {
    private ShadowDelta() {
    }

    /**
     * One pending leaf: its dotted path ({@code config.heartbeat}), what is desired, what the device reports there
     * (null: nothing), and the device's reason when it refused it (or a key above it).
     */
    public record Leaf(String path, JsonNode desired, JsonNode reported, String refused) {
    }

    /** The delta as a list of leaves, in document order. */
    public static List<Leaf> leaves(Desired desired, Reported reported) {
        List<Leaf> leaves = new ArrayList<>();
        collect("", of(desired, reported), reported, leaves);
        return leaves;
    }

    private static void collect(String prefix, JsonNode node, Reported reported, List<Leaf> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String path = prefix + field.getKey();
            if (field.getValue().isObject() && !field.getValue().isEmpty()) {
                collect(path + ".", field.getValue(), reported, out);
            } else {
                out.add(new Leaf(path, field.getValue(), reported == null ? null : at(reported.state(), path),
                        reported == null ? null : refusal(reported.refused(), path)));
            }
        }
    }

    private static JsonNode at(JsonNode state, String path) {
        JsonNode node = state;
        for (String level : path.split("\\.")) {
            node = node == null ? null : node.get(level);
        }
        return node;
    }

    private static String refusal(Map<String, String> refused, String path) {
        for (String key = path; ; key = key.substring(0, key.lastIndexOf('.'))) {
            String reason = refused.get(key);
            if (reason != null || key.indexOf('.') < 0) {
                return reason;
            }
        }
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
