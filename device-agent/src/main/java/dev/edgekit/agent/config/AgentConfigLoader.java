package dev.edgekit.agent.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.edgekit.agent.outbox.Durability;
import dev.edgekit.protocol.topic.Ids;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads {@code agent.yaml}. Strict: an unknown key is an error (a typo must not silently become a default), and every
 * error names the entry. Example, with every key and its default:
 *
 * <pre>
 * site: lab1                     # required
 * id: greenhouse-1               # default: from the board's serial
 * name: Greenhouse 1             # default: the id
 * board: simulated               # simulated | pi (required: never a silent fallback to simulated hardware)
 * heartbeat: 5s
 * stateDir: /var/lib/edgekit
 * broker:
 *   urls: [tcp://127.0.0.1:1883]
 *   keepAlive: 10s
 *   willDelay: 0s
 * outbox:                        # the durable outbox at {stateDir}/outbox.db
 *   maxEntries: 1000000          # undelivered entries kept on disk; beyond: oldest telemetry dropped first
 *   maxBytes: 256MiB             # bytes (payload + topic) kept on disk; a number of bytes, or with KiB/MiB/GiB
 *   durability: full             # full (fsync every commit: survives power loss) | normal (survives agent crash)
 * sensors:
 *   - channel: temperature
 *     type: simulated-temperature
 *     unit: °C
 *     interval: 1s
 * </pre>
 */
public final class AgentConfigLoader {
    private static final Set<String> TOP = Set.of("site", "id", "name", "board", "heartbeat", "stateDir", "broker",
            "sensors", "outbox");
    private static final Set<String> OUTBOX = Set.of("maxEntries", "maxBytes", "durability");
    private static final Set<String> BROKER = Set.of("urls", "keepAlive", "willDelay", "username", "passwordFile");
    private static final Set<String> SENSOR = Set.of("channel", "type", "unit", "interval");
    private static final Set<String> SENSOR_TYPES = Set.of("simulated-temperature");

    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

    public AgentConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    public AgentConfig parse(String text, String source) {
        JsonNode root;
        try {
            root = yaml.readTree(text);
        } catch (IOException e) {
            String message = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
            throw new ConfigException(source + ": not valid YAML: " + message, e);
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException(source + ": expected a mapping with at least 'site' and 'board'");
        }
        try {
            return read(root);
        } catch (ConfigException | IllegalArgumentException e) {
            throw new ConfigException(source + ": " + e.getMessage(), e);
        }
    }

    private AgentConfig read(JsonNode root) {
        unknownKeys(root, TOP, "");
        String site = requiredText(root, "site");
        String id = text(root, "id", null);
        if (id != null && !Ids.isValid(id)) {
            throw new ConfigException("id: '" + id + "' is not a valid id (1-63 of a-z, 0-9, '-')");
        }
        if (!Ids.isValid(site)) {
            throw new ConfigException("site: '" + site + "' is not a valid id (1-63 of a-z, 0-9, '-')");
        }
        String boardText = requiredText(root, "board");
        AgentConfig.BoardKind board = switch (boardText) {
            case "simulated" -> AgentConfig.BoardKind.SIMULATED;
            case "pi" -> AgentConfig.BoardKind.PI;
            default -> throw new ConfigException("board: '" + boardText + "' is not 'simulated' or 'pi'");
        };
        JsonNode brokerNode = root.path("broker");
        unknownKeys(brokerNode, BROKER, "broker.");
        List<String> urls = new ArrayList<>();
        JsonNode urlsNode = brokerNode.path("urls");
        if (urlsNode.isMissingNode()) {
            urls.add("tcp://127.0.0.1:1883");
        } else if (urlsNode.isTextual()) {
            urls.add(urlsNode.asText());
        } else {
            urlsNode.forEach(u -> urls.add(u.asText()));
        }
        String passwordFile = text(brokerNode, "passwordFile", null);
        AgentConfig.BrokerConfig broker = new AgentConfig.BrokerConfig(urls,
                duration(brokerNode, "keepAlive", "broker.", Duration.ofSeconds(10)),
                duration(brokerNode, "willDelay", "broker.", Duration.ZERO), text(brokerNode, "username", null),
                passwordFile == null ? null : Path.of(passwordFile));

        List<AgentConfig.SensorConfig> sensors = new ArrayList<>();
        JsonNode sensorsNode = root.path("sensors");
        if (!sensorsNode.isMissingNode() && !sensorsNode.isArray()) {
            throw new ConfigException("sensors: expected a list");
        }
        for (int i = 0; i < sensorsNode.size(); i++) {
            JsonNode s = sensorsNode.get(i);
            String entry = "sensors[" + i + "]";
            unknownKeys(s, SENSOR, entry + ".");
            String type = text(s, "type", "simulated-temperature");
            if (!SENSOR_TYPES.contains(type)) {
                throw new ConfigException(entry + ".type: unknown sensor type '" + type + "' (known: " + SENSOR_TYPES
                        + ")");
            }
            String channel = s.hasNonNull("channel") ? s.get("channel").asText() : null;
            if (channel == null || !channel.matches("[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}")) {
                throw new ConfigException(entry + ".channel: '" + channel + "' is not a valid channel name");
            }
            sensors.add(new AgentConfig.SensorConfig(entry, channel, type, text(s, "unit", "°C"),
                    duration(s, "interval", entry + ".", Duration.ofSeconds(1))));
        }
        return new AgentConfig(site, id, text(root, "name", null), broker,
                duration(root, "heartbeat", "", Duration.ofSeconds(5)), board, sensors,
                Path.of(text(root, "stateDir", "/var/lib/edgekit")), outbox(root.path("outbox")));
    }

    private static AgentConfig.OutboxSettings outbox(JsonNode node) {
        unknownKeys(node, OUTBOX, "outbox.");
        AgentConfig.OutboxSettings d = AgentConfig.OutboxSettings.DEFAULTS;
        long maxEntries = node.hasNonNull("maxEntries") ? count(node.get("maxEntries"), "outbox.maxEntries")
                : d.maxEntries();
        long maxBytes = node.hasNonNull("maxBytes") ? bytes(node.get("maxBytes").asText(), "outbox.maxBytes")
                : d.maxBytes();
        String durability = text(node, "durability", d.durability().name()).toUpperCase(java.util.Locale.ROOT);
        if (!durability.equals("FULL") && !durability.equals("NORMAL")) {
            throw new ConfigException("outbox.durability: '" + text(node, "durability", "") + "' is not 'full' or 'normal'");
        }
        return new AgentConfig.OutboxSettings(maxEntries, maxBytes, Durability.valueOf(durability));
    }

    private static long count(JsonNode value, String what) {
        if (!value.canConvertToLong() || !value.isIntegralNumber()) {
            throw new ConfigException(what + ": '" + value.asText() + "' is not a whole number");
        }
        return value.asLong();
    }

    /** {@code 1048576}, {@code 512KiB}, {@code 256MiB}, {@code 1GiB}. */
    static long bytes(String text, String what) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\s*(\\d+)\\s*(|B|KiB|MiB|GiB)\\s*").matcher(text);
        if (!m.matches()) {
            throw new ConfigException(what + ": '" + text + "' is not a size like 1048576, 512KiB, 256MiB or 1GiB");
        }
        int shift = switch (m.group(2)) {
            case "KiB" -> 10;
            case "MiB" -> 20;
            case "GiB" -> 30;
            default -> 0;
        };
        try {
            return Math.multiplyExact(Long.parseLong(m.group(1)), 1L << shift);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new ConfigException(what + ": '" + text + "' is too large");
        }
    }

    private static void unknownKeys(JsonNode node, Set<String> known, String prefix) {
        if (node.isMissingNode() || node.isNull()) {
            return;
        }
        if (!node.isObject()) {
            throw new ConfigException((prefix.isEmpty() ? "top level" : prefix.substring(0, prefix.length() - 1))
                    + ": expected a mapping");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new ConfigException(prefix + name + ": unknown key (known: " + known.stream().sorted().toList()
                        + ")");
            }
        }
    }

    private static String requiredText(JsonNode node, String key) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull() || value.asText().isBlank()) {
            throw new ConfigException(key + ": required");
        }
        return value.asText();
    }

    private static String text(JsonNode node, String key, String fallback) {
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? fallback : value.asText();
    }

    private static Duration duration(JsonNode node, String key, String prefix, Duration fallback) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return fallback;
        }
        try {
            return value.isNumber() ? Duration.ofMillis(Math.round(value.asDouble() * 1000)) // a bare number: seconds
                    : Durations.parse(value.asText());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(prefix + key + ": " + e.getMessage());
        }
    }
}
