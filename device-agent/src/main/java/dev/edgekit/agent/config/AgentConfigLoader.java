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
 *   username: greenhouse-1       # with passwordFile: the broker's password login
 *   passwordFile: /etc/edgekit/password
 *   caFile: /etc/edgekit/ca.crt  # TLS (ssl:// URLs): the site CA; certFile + keyFile for mutual TLS
 *   discover: false              # true: find brokers with mDNS (_mqtt._tcp), this site's first, then urls (may be empty)
 *   discoverOn: 192.168.1.20     # with discover: the interface address for mDNS (default: the host's LAN address)
 *   discoverWait: 10s            # with discover: wait this long at start for a first broker
 * hardware:                      # see HardwareSection and the hardware module's README
 *   interval: 1s                 # sampling interval of every sensor (default 1s); a sensor entry may set its own
 *   simulation: { seed: 42, absent: [] }   # read only with board: simulated
 *   devices:
 *     env:  { type: bme280, bus: 1, address: 0x76, interval: 5s }
 *     door: { type: button, pin: 17, pull: up, active: low, debounce: 20ms }
 *     fan:  { type: pwm, pin: 18, frequency: 25kHz }
 * time:                          # absent: no clock synchronisation
 *   mode: ntp                    # ntp | cristian | bounded | berkeley | none
 *   servers: [time-1]            # time server ids on this site (ntp, cristian, bounded)
 *   minPoll: 250ms
 *   maxPoll: 64s
 *   minTransit: 0.1ms            # bounded only: Tmin
 *   maxTransit: 5ms              # bounded only: Tmax
 *   driftFile: drift             # relative to stateDir
 *   serve: false                 # also serve time, at our stratum + 1
 *   reference: false             # the system clock is a reference (chrony/GPS host): stratum 1
 *   ntpPort: 123                 # with serve: true, also answer NTP/SNTP clients on this UDP port (absent: no NTP)
 *   chrony:                      # feed chronyd a SOCK refclock (absent: no feed); see docs/ntp.md
 *     socket: /run/edgekit-chrony/refclock.sock
 *     maxErrorBound: 10ms        # only samples from a synchronised clock within this bound are sent
 *     interval: 1s
 *   berkeley:
 *     tolerance: 10s             # left out of the average beyond this from the median
 *     period: 30s                # between the master's rounds
 * interop:                       # see InteropSection
 *   homeAssistant: false         # true: Home Assistant MQTT discovery for this device
 *   discoveryPrefix: homeassistant
 *   sparkplug:                   # absent: no Sparkplug B
 *     group: lab1                # the Sparkplug group id (default: the site)
 * shadow:
 *   enabled: false               # true: follow the device shadow's desired state
 * outbox:                        # the durable outbox at {stateDir}/outbox.db
 *   maxEntries: 1000000          # undelivered entries kept on disk; beyond: oldest telemetry dropped first
 *   maxBytes: 256MiB             # bytes (payload + topic) kept on disk; a number of bytes, or with KiB/MiB/GiB
 *   durability: full             # full (fsync every commit: survives power loss) | normal (survives agent crash)
 *   cacheBytes: 256KiB           # SQLite's page cache for the outbox (16KiB..64MiB)
 * </pre>
 */
public final class AgentConfigLoader {
    private static final Set<String> TOP = Set.of("site", "id", "name", "board", "heartbeat", "stateDir", "broker",
            "hardware", "time", "outbox", "interop", "shadow");
    private static final Set<String> BROKER = Set.of("urls", "keepAlive", "willDelay", "username", "passwordFile",
            "caFile", "certFile", "keyFile", "discover", "discoverOn", "discoverWait");
    private static final Set<String> TIME = Set.of("mode", "servers", "minPoll", "maxPoll", "minTransit",
            "maxTransit", "driftFile", "serve", "reference", "berkeley", "ntpPort", "chrony");
    private static final Set<String> CHRONY = Set.of("socket", "maxErrorBound", "interval");
    private static final Set<String> BERKELEY = Set.of("tolerance", "period");
    private static final Set<String> OUTBOX = Set.of("maxEntries", "maxBytes", "durability", "cacheBytes");

    // a key written twice (two devices with one name) is an error, not "the last one wins"
    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

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
        if (brokerNode.isMissingNode() || brokerNode.isNull()) {
            throw new ConfigException("broker: required (e.g. broker: { urls: [tcp://192.168.1.10:1883] }, or"
                    + " broker: { discover: true })");
        }
        unknownKeys(brokerNode, BROKER, "broker.");
        List<String> urls = new ArrayList<>();
        JsonNode urlsNode = brokerNode.path("urls");
        AgentConfig.Discover discover = discover(brokerNode);
        if (urlsNode.isMissingNode() && discover != null) {
            // discovery alone, no default URL
        } else if (urlsNode.isMissingNode()) {
            urls.add("tcp://127.0.0.1:1883");
        } else if (urlsNode.isTextual()) {
            urls.add(urlsNode.asText());
        } else {
            urlsNode.forEach(u -> urls.add(u.asText()));
        }
        String passwordFile = text(brokerNode, "passwordFile", null);
        String caFile = text(brokerNode, "caFile", null);
        String certFile = text(brokerNode, "certFile", null);
        String keyFile = text(brokerNode, "keyFile", null);
        if (caFile == null && (certFile != null || keyFile != null)) {
            throw new ConfigException("broker.caFile: required with broker.certFile/keyFile");
        }
        if (caFile == null && urls.stream().anyMatch(u -> u.startsWith("ssl://"))) {
            throw new ConfigException("broker.caFile: required for an ssl:// broker (the site CA certificate)");
        }
        AgentConfig.Tls tls = caFile == null ? null : new AgentConfig.Tls(Path.of(caFile),
                certFile == null ? null : Path.of(certFile), keyFile == null ? null : Path.of(keyFile));
        AgentConfig.BrokerConfig broker = new AgentConfig.BrokerConfig(urls,
                duration(brokerNode, "keepAlive", "broker.", Duration.ofSeconds(10)),
                duration(brokerNode, "willDelay", "broker.", Duration.ZERO), text(brokerNode, "username", null),
                passwordFile == null ? null : Path.of(passwordFile), tls, discover);

        return new AgentConfig(site, id, name(root), broker, heartbeat(root), board, HardwareSection.read(root.get("hardware")),
                Path.of(text(root, "stateDir", "/var/lib/edgekit")), time(root.path("time")), outbox(root.path("outbox")),
                InteropSection.read(root.path("interop"), site), shadow(root.path("shadow")));
    }

    /** Bounds of {@code heartbeat}: each beat is a publish every consumer processes; past an hour nobody can tell
     * a dead device from a quiet one. */
    public static final Duration MIN_HEARTBEAT = Duration.ofMillis(100);
    public static final Duration MAX_HEARTBEAT = Duration.ofHours(1);

    private static Duration heartbeat(JsonNode root) {
        Duration d = duration(root, "heartbeat", "", Duration.ofSeconds(5));
        if (d.isZero() || d.isNegative()) {
            throw new ConfigException("heartbeat must be a positive duration, not " + Durations.format(d));
        }
        if (d.compareTo(MIN_HEARTBEAT) < 0 || d.compareTo(MAX_HEARTBEAT) > 0) {
            throw new ConfigException("heartbeat: " + root.get("heartbeat").asText() + " is out of range: between "
                    + Durations.format(MIN_HEARTBEAT) + " and " + Durations.format(MAX_HEARTBEAT));
        }
        return d;
    }

    /** {@code name}: text, as people read it; a number, list or mapping is a mistake, not a name. */
    private static String name(JsonNode root) {
        JsonNode value = root.get("name");
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new ConfigException("name: expected text, not " + kind(value) + (value.isValueNode()
                    ? " (quote it: name: \"" + value.asText() + "\")" : ""));
        }
        return value.asText();
    }

    static String kind(JsonNode value) {
        return value.isObject() ? "a mapping" : value.isArray() ? "a list" : value.isNumber() ? "a number"
                : value.isBoolean() ? "true/false" : "'" + value.asText() + "'";
    }

    // broker.discover / discoverOn / discoverWait
    private static AgentConfig.Discover discover(JsonNode brokerNode) {
        JsonNode d = brokerNode.path("discover");
        boolean on;
        if (d.isMissingNode() || d.isNull()) {
            on = false;
        } else if (d.isBoolean()) {
            on = d.asBoolean();
        } else {
            throw new ConfigException("broker.discover: '" + d.asText() + "' is not true or false");
        }
        String address = text(brokerNode, "discoverOn", null);
        if (!on) {
            if (address != null || !brokerNode.path("discoverWait").isMissingNode()) {
                throw new ConfigException("broker.discoverOn/discoverWait: only with broker.discover: true");
            }
            return null;
        }
        if (address != null && !address.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            throw new ConfigException("broker.discoverOn: '" + address + "' is not an IP address of this host");
        }
        return new AgentConfig.Discover(address, duration(brokerNode, "discoverWait", "broker.", Duration.ofSeconds(10)));
    }

    private static AgentConfig.TimeConfig time(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return AgentConfig.TimeConfig.NONE;
        }
        unknownKeys(node, TIME, "time.");
        String modeText = text(node, "mode", "ntp");
        AgentConfig.TimeMode mode;
        try {
            mode = AgentConfig.TimeMode.valueOf(modeText.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("time.mode: '" + modeText + "' is not ntp, cristian, bounded, berkeley or none");
        }
        List<String> servers = new ArrayList<>();
        JsonNode serversNode = node.path("servers");
        if (serversNode.isTextual()) {
            servers.add(serversNode.asText());
        } else {
            serversNode.forEach(s -> servers.add(s.asText()));
        }
        for (String s : servers) {
            if (!Ids.isValid(s)) {
                throw new ConfigException("time.servers: '" + s + "' is not a valid id (1-63 of a-z, 0-9, '-')");
            }
        }
        JsonNode berkeley = node.path("berkeley");
        unknownKeys(berkeley, BERKELEY, "time.berkeley.");
        AgentConfig.TimeConfig d = AgentConfig.TimeConfig.NONE;
        return new AgentConfig.TimeConfig(mode, servers, duration(node, "minPoll", "time.", d.minPoll()),
                duration(node, "maxPoll", "time.", d.maxPoll()), duration(node, "minTransit", "time.", null),
                duration(node, "maxTransit", "time.", null), Path.of(text(node, "driftFile", d.driftFile().toString())),
                bool(node, "serve"), bool(node, "reference"), duration(berkeley, "tolerance", "time.berkeley.",
                        d.berkeleyTolerance()), duration(berkeley, "period", "time.berkeley.", d.berkeleyPeriod()),
                ntpPort(node), chrony(node.path("chrony")));
    }

    private static Integer ntpPort(JsonNode time) {
        JsonNode value = time.get("ntpPort");
        if (value == null || value.isNull()) {
            return null;
        }
        long port = count(value, "time.ntpPort");
        if (port < 1 || port > 65_535) {
            throw new ConfigException("time.ntpPort: " + port + " is not a UDP port (1-65535)");
        }
        return (int) port;
    }

    private static AgentConfig.Chrony chrony(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new ConfigException("time.chrony: expected a section (socket, maxErrorBound, interval), not '"
                    + node.asText() + "'");
        }
        unknownKeys(node, CHRONY, "time.chrony.");
        return new AgentConfig.Chrony(Path.of(text(node, "socket", AgentConfig.Chrony.DEFAULT_SOCKET.toString())),
                duration(node, "maxErrorBound", "time.chrony.", Duration.ofMillis(10)),
                duration(node, "interval", "time.chrony.", Duration.ofSeconds(1)));
    }

    private static AgentConfig.ShadowSettings shadow(JsonNode node) {
        unknownKeys(node, Set.of("enabled"), "shadow.");
        return new AgentConfig.ShadowSettings(bool(node, "enabled", "shadow."));
    }

    private static boolean bool(JsonNode node, String key) {
        return bool(node, key, "time.");
    }

    static boolean bool(JsonNode node, String key, String prefix) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new ConfigException(prefix + key + ": expected true or false, not '" + value.asText() + "'");
        }
        return value.booleanValue();
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
        long cacheBytes = node.hasNonNull("cacheBytes") ? bytes(node.get("cacheBytes").asText(), "outbox.cacheBytes")
                : d.cacheBytes();
        return new AgentConfig.OutboxSettings(maxEntries, maxBytes, Durability.valueOf(durability), cacheBytes);
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

    static void unknownKeys(JsonNode node, Set<String> known, String prefix) {
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

    static String text(JsonNode node, String key, String fallback) {
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
