package dev.edgekit.protocol.shadow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * The retained {@code …/shadow/reported} document, written only by the device after it handled a desired version.
 * {@code state} holds what the device really runs (never what it was merely asked for); {@code refused} maps each
 * desired key it did not apply to the reason. {@code desiredVersion} is the desired version this report answers.
 */
public record Reported(String device, long desiredVersion, String hlc, ObjectNode state, Map<String, String> refused) {
    public Reported {
        refused = Map.copyOf(refused);
    }
}
