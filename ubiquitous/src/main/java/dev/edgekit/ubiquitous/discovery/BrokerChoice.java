package dev.edgekit.ubiquitous.discovery;

import java.util.Comparator;
import java.util.List;

/**
 * Orders discovered brokers for an agent (pure; the testable half of discovery): brokers that say they serve the
 * agent's site first, then brokers that name no site, never brokers of another site; within each group by
 * {@code priority} (TXT, lower first, default 100), then by name so every agent of a site picks the same one.
 */
public final class BrokerChoice {
    private BrokerChoice() {
    }

    public static List<String> order(List<Found> found, String site) {
        return found.stream()
                .filter(f -> f.kind() == ServiceKind.MQTT)
                .filter(f -> f.properties().get("site") == null || f.properties().get("site").equals(site))
                .sorted(Comparator.<Found>comparingInt(f -> f.properties().get("site") != null ? 0 : 1)
                        .thenComparingInt(f -> priority(f))
                        .thenComparing(Found::name))
                .map(Found::uri)
                .distinct()
                .toList();
    }

    private static int priority(Found f) {
        try {
            return Integer.parseInt(f.properties().getOrDefault("priority", "100"));
        } catch (NumberFormatException e) {
            return 100;
        }
    }
}
