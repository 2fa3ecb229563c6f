package dev.edgekit.ubiquitous.discovery;

import java.util.Map;

/**
 * A service found with DNS-SD.
 *
 * @param properties its TXT record (edgekit writes {@code site} and, for brokers, {@code scheme})
 */
public record Found(ServiceKind kind, String name, String host, int port, Map<String, String> properties) {
    public Found {
        properties = Map.copyOf(properties);
    }

    /** {@code tcp://host:port} (or {@code ssl://} when the TXT record says {@code scheme=ssl}); IPv6 in brackets. */
    public String uri() {
        String scheme = "ssl".equals(properties.get("scheme")) ? "ssl" : "tcp";
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return scheme + "://" + h + ":" + port;
    }
}
