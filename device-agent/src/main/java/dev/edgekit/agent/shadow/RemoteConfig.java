package dev.edgekit.agent.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgekit.agent.config.AgentConfig;
import dev.edgekit.agent.config.AgentConfigLoader;
import dev.edgekit.agent.config.Durations;
import dev.edgekit.agent.runtime.AgentPort;
import dev.edgekit.time.PollRange;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code config} object of a desired document, overlaid on {@code agent.yaml}: a setting the document names
 * replaces the file's value, one it does not name (or no longer names) is the file's value again. Each value is checked
 * against the bounds below before anything changes; a refused one keeps what runs and is reported with its reason.
 *
 * <pre>{@code
 * "config": {"heartbeat": "2s", "sampling": "10s",
 *            "channels": {"env-pressure": false},
 *            "time": {"minPoll": "1s", "maxPoll": "5m"}}
 * }</pre>
 */
final class RemoteConfig {
    /** The file's rule ({@code heartbeat} in agent.yaml). */
    static final Duration MIN_HEARTBEAT = AgentConfigLoader.MIN_HEARTBEAT;
    static final Duration MAX_HEARTBEAT = AgentConfigLoader.MAX_HEARTBEAT;
    /** A sensor read every 100 ms is already more than a board's bus and the fleet's broker want; a day is the most. */
    static final Duration MIN_SAMPLING = Duration.ofMillis(100);
    static final Duration MAX_SAMPLING = Duration.ofDays(1);
    /** Never faster than the agent's default, so a remote write cannot turn a fleet against its time server. */
    static final Duration MIN_POLL = Duration.ofMillis(250);
    /** About NTP's longest poll, 2^17 s (RFC 5905 §7.3, MAXPOLL), in a unit people write. */
    static final Duration MAX_POLL = Duration.ofHours(36);
    private static final Set<String> KEYS = Set.of("heartbeat", "sampling", "channels", "time");
    private static final Set<String> TIME_KEYS = Set.of("minPoll", "maxPoll");

    private final AgentPort agent;
    private final AgentConfig file;

    RemoteConfig(AgentPort agent) {
        this.agent = agent;
        this.file = agent.config();
    }

    /** Applies {@code config} (null: the document has none) over the file; refusals go into {@code refusals}. */
    void apply(JsonNode config, Map<String, String> refusals) {
        if (config != null && !config.isObject()) {
            refusals.put("config", "expected an object like {\"heartbeat\": \"5s\"}");
            return;
        }
        JsonNode settings = objectOrMissing(config);
        refuseUnknown(settings, KEYS, "config.", "config.heartbeat, config.sampling, config.channels and config.time",
                refusals);
        heartbeat(settings.get("heartbeat"), refusals);
        sampling(settings.get("sampling"), refusals);
        channels(settings.get("channels"), refusals);
        time(settings.get("time"), refusals);
    }

    private void heartbeat(JsonNode value, Map<String, String> refusals) {
        Duration every = value == null ? file.heartbeatInterval()
                : duration("config.heartbeat", value, MIN_HEARTBEAT, MAX_HEARTBEAT, refusals);
        if (every != null && !every.equals(agent.heartbeatInterval())) {
            agent.heartbeatInterval(every);
        }
    }

    private void sampling(JsonNode value, Map<String, String> refusals) {
        if (value == null) {
            if (agent.samplingOverridden()) {
                agent.samplingInterval(null); // each sensor at its own interval from the file again
            }
            return;
        }
        Duration every = duration("config.sampling", value, MIN_SAMPLING, MAX_SAMPLING, refusals);
        if (every != null && (!agent.samplingOverridden() || !every.equals(agent.samplingInterval()))) {
            agent.samplingInterval(every);
        }
    }

    private void channels(JsonNode value, Map<String, String> refusals) {
        Map<String, Boolean> wanted = new LinkedHashMap<>();
        agent.channels().keySet().forEach(channel -> wanted.put(channel, true)); // the file samples every channel
        if (value != null && !value.isObject()) {
            refusals.put("config.channels",
                    "expected an object of channel: true|false, like {\"env-pressure\": false}");
            return;
        }
        if (value != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                String key = "config.channels." + entry.getKey();
                if (!wanted.containsKey(entry.getKey())) {
                    refusals.put(key, "no channel named '" + entry.getKey() + "' on this device (it has "
                            + String.join(", ", wanted.keySet()) + ")");
                } else if (!entry.getValue().isBoolean()) {
                    refusals.put(key, "expected true or false, not " + entry.getValue());
                } else {
                    wanted.put(entry.getKey(), entry.getValue().booleanValue());
                }
            }
        }
        Map<String, Boolean> now = agent.channels();
        wanted.forEach((channel, on) -> {
            if (!on.equals(now.get(channel))) {
                agent.channelEnabled(channel, on);
            }
        });
    }

    private void time(JsonNode value, Map<String, String> refusals) {
        Optional<PollRange> running = agent.timePolling();
        if (running.isEmpty()) {
            if (value != null) {
                refusals.put("config.time", "this agent does not poll a time server (time.mode: "
                        + file.time().mode().name().toLowerCase(java.util.Locale.ROOT) + ")");
            }
            return;
        }
        if (value != null && !value.isObject()) {
            refusals.put("config.time", "expected an object like {\"minPoll\": \"1s\", \"maxPoll\": \"5m\"}");
            return;
        }
        JsonNode settings = objectOrMissing(value);
        refuseUnknown(settings, TIME_KEYS, "config.time.", "config.time.minPoll and config.time.maxPoll", refusals);
        Duration min = settings.has("minPoll")
                ? duration("config.time.minPoll", settings.get("minPoll"), MIN_POLL, MAX_POLL, refusals)
                : file.time().minPoll();
        Duration max = settings.has("maxPoll")
                ? duration("config.time.maxPoll", settings.get("maxPoll"), MIN_POLL, MAX_POLL, refusals)
                : file.time().maxPoll();
        if (min == null || max == null) {
            return; // refused above: what runs stays
        }
        if (max.compareTo(min) < 0) {
            String reason = "maxPoll " + Durations.format(max) + " is shorter than minPoll " + Durations.format(min);
            refusals.put(settings.has("maxPoll") ? "config.time.maxPoll" : "config.time.minPoll", reason);
            return;
        }
        PollRange range = new PollRange(min, max);
        if (!range.equals(running.get())) {
            agent.timePolling(range);
        }
    }

    private static JsonNode objectOrMissing(JsonNode node) {
        return node == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : node;
    }

    /** Every key of {@code settings} not in {@code known} is refused: the file is where the rest is set. */
    private static void refuseUnknown(JsonNode settings, Set<String> known, String prefix, String settable,
            Map<String, String> refusals) {
        for (Iterator<String> it = settings.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                refusals.put(prefix + key, "not settable through the shadow (" + settable + " are); set it in"
                        + " agent.yaml");
            }
        }
    }

    /** The value as a duration within bounds, else null with the reason in {@code refusals}. */
    private static Duration duration(String key, JsonNode value, Duration min, Duration max,
            Map<String, String> refusals) {
        if (!value.isTextual()) {
            refusals.put(key, "expected a duration like \"5s\", not " + value);
            return null;
        }
        try {
            Duration every = Durations.parse(value.textValue());
            if (every.compareTo(min) < 0 || every.compareTo(max) > 0) {
                refusals.put(key, value.textValue() + " is out of range: between " + Durations.format(min) + " and "
                        + Durations.format(max));
                return null;
            }
            return every;
        } catch (IllegalArgumentException e) {
            refusals.put(key, e.getMessage());
            return null;
        }
    }

    /** What runs now, for {@code reported.state.config}. */
    void report(ObjectNode state) {
        ObjectNode config = state.putObject("config");
        config.put("heartbeat", Durations.format(agent.heartbeatInterval()))
                .put("sampling", Durations.format(agent.samplingInterval()));
        ObjectNode channels = config.putObject("channels");
        agent.channels().forEach(channels::put);
        agent.timePolling().ifPresent(range -> config.putObject("time")
                .put("minPoll", Durations.format(range.min())).put("maxPoll", Durations.format(range.max())));
    }
}
