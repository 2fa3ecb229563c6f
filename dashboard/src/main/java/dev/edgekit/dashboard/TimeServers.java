package dev.edgekit.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgekit.protocol.mqtt.Inbound;
import dev.edgekit.protocol.topic.Ids;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The site's time servers as their retained {@code $time/{server}/announce} messages say (id, stratum, reference
 * chain; an empty retained message clears one), and the Berkeley master as its polls name it. Payloads are untrusted:
 * over 4 KiB, not JSON, or without a valid id they are counted and ignored; at most 256 servers. Thread-safe.
 */
final class TimeServers {
    private static final int MAX_SERVERS = 256;
    private static final int MAX_BYTES = 4096;

    record Server(String site, String id, int stratum, List<String> chain) {
    }

    record Master(String site, String id, Instant lastPoll) {
    }

    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Server> servers = new ConcurrentHashMap<>();
    private final Map<String, Master> masters = new ConcurrentHashMap<>();
    private final AtomicLong refused = new AtomicLong();

    void announce(Inbound in) {
        String[] levels = in.topic().split("/");
        if (levels.length != 6) { // edgekit/v1/{site}/$time/{server}/announce
            refused.incrementAndGet();
            return;
        }
        String key = levels[2] + "/" + levels[4];
        if (in.payload().length == 0) {
            servers.remove(key);
            return;
        }
        JsonNode node = parse(in.payload());
        if (node == null || !Ids.isValid(levels[2]) || !Ids.isValid(levels[4])
                || (!servers.containsKey(key) && servers.size() >= MAX_SERVERS)) {
            refused.incrementAndGet();
            return;
        }
        List<String> chain = new ArrayList<>();
        node.path("chain").forEach(c -> {
            if (chain.size() < 16) {
                chain.add(Timeline.clip(c.asText(), 64));
            }
        });
        int stratum = node.path("stratum").asInt(0);
        servers.put(key, new Server(levels[2], levels[4], Math.max(0, Math.min(stratum, 16)), chain));
    }

    void poll(Inbound in) {
        String[] levels = in.topic().split("/");
        JsonNode node = parse(in.payload());
        String master = node == null ? null : node.path("master").asText(null);
        if (levels.length != 7 || master == null || !Ids.isValid(master) || !Ids.isValid(levels[2])) {
            refused.incrementAndGet();
            return;
        }
        masters.put(levels[2], new Master(levels[2], master, in.receivedAt()));
    }

    private JsonNode parse(byte[] payload) {
        if (payload.length > MAX_BYTES) {
            return null;
        }
        try {
            JsonNode node = json.readTree(payload);
            return node != null && node.isObject() ? node : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    List<Server> servers() {
        return servers.values().stream().sorted(java.util.Comparator.comparing(Server::site)
                .thenComparingInt(Server::stratum).thenComparing(Server::id)).toList();
    }

    List<Master> masters() {
        return List.copyOf(masters.values());
    }

    long refused() {
        return refused.get();
    }
}
