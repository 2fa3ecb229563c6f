package dev.edgekit.agent.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/** Reads the {@code interop:} section of {@code agent.yaml}; absent means nothing but edgekit's own topics. */
final class InteropSection {
    private static final Set<String> KEYS = Set.of("homeAssistant", "discoveryPrefix", "sparkplug");
    private static final Set<String> SPARKPLUG = Set.of("group");

    private InteropSection() {
    }

    static AgentConfig.Interop read(JsonNode node, String site) {
        if (node.isMissingNode() || node.isNull()) {
            return AgentConfig.Interop.NONE;
        }
        AgentConfigLoader.unknownKeys(node, KEYS, "interop.");
        return new AgentConfig.Interop(AgentConfigLoader.bool(node, "homeAssistant", "interop."),
                AgentConfigLoader.text(node, "discoveryPrefix", AgentConfig.Interop.NONE.discoveryPrefix()),
                sparkplug(node.path("sparkplug"), site));
    }

    private static AgentConfig.Sparkplug sparkplug(JsonNode node, String site) {
        if (node.isMissingNode() || node.isNull() || (node.isBoolean() && !node.booleanValue())) {
            return null;
        }
        if (node.isBoolean()) { // sparkplug: true
            return new AgentConfig.Sparkplug(site);
        }
        AgentConfigLoader.unknownKeys(node, SPARKPLUG, "interop.sparkplug.");
        return new AgentConfig.Sparkplug(AgentConfigLoader.text(node, "group", site));
    }
}
