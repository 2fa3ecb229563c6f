package dev.edgekit.agent.runtime;

import dev.edgekit.agent.config.AgentConfig;
import java.util.ArrayList;
import java.util.List;

/** The {@link Projection}s an agent's configuration turns on; each feature adds its line here and nowhere else. */
final class Projections {
    private Projections() {
    }

    static List<Projection> of(AgentConfig config, AgentPort port) {
        List<Projection> on = new ArrayList<>();
        if (config.interop().homeAssistant()) {
            on.add(new dev.edgekit.agent.interop.HomeAssistantDiscovery(port));
        }
        if (config.interop().sparkplug() != null) {
            on.add(new dev.edgekit.agent.interop.SparkplugNode(port));
        }
        if (config.shadow().enabled()) {
            on.add(new dev.edgekit.agent.shadow.ShadowFollower(port));
        }
        return on;
    }
}
