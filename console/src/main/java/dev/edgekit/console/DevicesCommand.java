package dev.edgekit.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.edgekit.protocol.message.Capability;
import dev.edgekit.protocol.message.Codec;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.ubiquitous.detect.LivenessMonitor;
import dev.edgekit.ubiquitous.registry.DeviceQuery;
import dev.edgekit.ubiquitous.registry.DeviceView;
import dev.edgekit.ubiquitous.registry.Registry;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code edgekit devices}: the registry, once, optionally filtered by an attribute query. */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = {"Lists the devices a broker knows: retained birth certificates plus a few seconds of heartbeats,",
            "judged by the failure detector. Filter with --query, e.g. 'capability=temperature site=lab1 status=online'",
            "(keys: id, name, site, capability, board, software, broker, status; 'id=pi-*' matches a prefix).",
            "A device that was born but sent no heartbeat while this listened is 'silent', never 'online'."})
final class DevicesCommand implements Callable<Integer> {
    @Mixin
    FleetWatch fleet;

    @Option(names = "--query", defaultValue = "", description = "Attribute query: key=value terms, all must hold.")
    String query;

    @Option(names = "--json", description = "One JSON array instead of a table.")
    boolean json;

    @Option(names = "--settle", defaultValue = "2s", converter = Flags.NonNegativeDuration.class,
            description = "How long to listen before answering (default: ${DEFAULT-VALUE}; longer judges liveness better).")
    Duration settle;

    @Option(names = "--forget", paramLabel = "ID", description = {"Clear the retained messages of device ID (needs",
        "--site): its state, its output and input states, and its Home Assistant discovery entry, so a device that is",
        "gone for good (or a spoofed birth) is no longer listed anywhere. A live device publishes its birth again."})
    String forget;

    @Option(names = "--discovery-prefix", defaultValue = "homeassistant", description = "With --forget: Home"
            + " Assistant's discovery prefix, whose device entry is removed too (default: ${DEFAULT-VALUE}).")
    String discoveryPrefix;

    @Override
    public Integer call() throws Exception {
        EdgekitCommand.quietLogs();
        if (forget != null) {
            return forget();
        }
        DeviceQuery q = DeviceQuery.parse(query); // before connecting: a bad query fails fast
        Clock clock = Clock.systemUTC();
        Registry registry = new Registry(clock, new Codec());
        LivenessMonitor liveness = LivenessMonitor.attach(registry, fleet.detectorConfig());
        try (MqttSession session = fleet.connect("devices", registry)) {
            Thread.sleep(settle.toMillis()); // a CLI collecting retained state and heartbeats, not a test
        }
        Instant now = clock.instant();
        List<DeviceView> matching = registry.devices().stream()
                .filter(d -> q.matches(d, state(d, liveness, now))).toList();
        PrintStream out = System.out;
        out.print(json ? json(matching, liveness, now) : table(matching, liveness, now));
        out.flush();
        return 0;
    }

    /** How long forget listens for the device's retained messages after its subscription is granted. */
    static final java.time.Duration RETAINED_WAIT = java.time.Duration.ofMillis(500);
    /** A device has a few retained topics (state, one per output and input); more is not ours to clear at once. */
    static final int MAX_FORGET_TOPICS = 256;

    private int forget() throws Exception {
        if ("+".equals(fleet.site)) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--forget needs --site: the state topic is edgekit/v1/{site}/{device}/state");
        }
        if (!discoveryPrefix.matches("[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*")) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--discovery-prefix: '"
                    + discoveryPrefix + "' is not a topic prefix like homeassistant");
        }
        String topic = dev.edgekit.protocol.topic.Topics.state(fleet.site, forget).topic(); // validates both ids
        String discovery = discoveryPrefix + "/device/" + forget + "/config";
        java.util.Set<String> cleared = new java.util.TreeSet<>(java.util.List.of(topic, discovery));
        try (MqttSession session = fleet.connect("devices-forget", new Registry(Clock.systemUTC(), new Codec()))) {
            // the device's other retained messages (output and input states): whatever the broker holds under it
            String tree = dev.edgekit.protocol.topic.Topics.deviceTree(fleet.site, forget);
            var retained = session.subscribe(tree, 1, in -> {
                if (in.retained() && in.payload().length > 0 && cleared.size() < MAX_FORGET_TOPICS) {
                    synchronized (cleared) {
                        cleared.add(in.topic());
                    }
                }
            });
            retained.granted().get(fleet.connectTimeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            Thread.sleep(RETAINED_WAIT.toMillis()); // retained messages arrive right after the grant
            retained.cancel();
            synchronized (cleared) {
                for (String t : cleared) {
                    session.publish(dev.edgekit.protocol.mqtt.Outgoing.retained(t, new byte[0], 1))
                            .get(fleet.connectTimeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                }
            }
        }
        System.out.println("forgot " + fleet.site + "/" + forget + ": cleared the retained state on " + topic
                + ", Home Assistant's discovery on " + discovery + " and " + (cleared.size() - 2)
                + " other retained message(s) under it");
        return 0;
    }

    /**
     * The state this consumer judges: the failure detector's, except that a device born but never heard
     * heartbeating while this listened is {@code silent}: a retained birth proves only that it was once there.
     */
    static String state(DeviceView d, LivenessMonitor liveness, Instant now) {
        String judged = liveness.liveness(d.site(), d.id(), now).wire();
        return d.lastHeartbeatAt() == null && judged.equals("online") ? "silent" : judged;
    }

    static String table(List<DeviceView> devices, LivenessMonitor liveness, Instant now) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-10s %-20s %-22s %-8s %6s  %-22s %s%n",
                "SITE", "DEVICE", "NAME", "STATE", "PHI", "BROKER", "CAPABILITIES"));
        for (DeviceView d : devices) {
            var a = liveness.assess(d.site(), d.id(), now);
            out.append(String.format(Locale.ROOT, "%-10s %-20s %-22s %-8s %6s  %-22s %s%n", d.site(), d.id(),
                    clip(d.name(), 22), a.isPresent() ? state(d, liveness, now) : "unknown",
                    a.map(x -> String.format(Locale.ROOT, "%.1f", Math.min(x.suspicion(), 999))).orElse("-"),
                    d.birth() != null && d.birth().network() != null && d.birth().network().broker() != null
                            ? d.birth().network().broker() : "-",
                    d.birth() == null ? "-" : d.birth().capabilities().stream().map(DevicesCommand::capability)
                            .collect(Collectors.joining(","))));
        }
        out.append(devices.size()).append(devices.size() == 1 ? " device\n" : " devices\n");
        return out.toString();
    }

    private static String capability(Capability c) {
        return c.name() + (c.unit() != null ? "[" + c.unit() + "]" : "");
    }

    static String json(List<DeviceView> devices, LivenessMonitor liveness, Instant now) throws Exception {
        ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);
        ArrayNode array = mapper.createArrayNode();
        for (DeviceView d : devices) {
            ObjectNode node = array.addObject();
            node.put("site", d.site());
            node.put("id", d.id());
            node.put("name", d.name());
            var a = liveness.assess(d.site(), d.id(), now);
            node.put("status", a.isPresent() ? state(d, liveness, now) : "unknown");
            a.ifPresent(x -> {
                node.put("suspicion", Double.isFinite(x.suspicion()) ? Math.min(x.suspicion(), 1e6) : 1e6);
                if (x.meanInterval() != null) {
                    node.put("meanHeartbeatMillis", x.meanInterval().toMillis());
                }
            });
            if (d.lastHeartbeatAt() != null) {
                node.put("lastHeartbeatAt", d.lastHeartbeatAt().toString());
            }
            if (d.birth() != null) {
                node.set("birth", mapper.valueToTree(d.birth()));
            }
        }
        return mapper.writeValueAsString(array) + "\n";
    }

    private static String clip(String s, int width) {
        return s.length() <= width ? s : s.substring(0, width - 1) + "…";
    }
}
