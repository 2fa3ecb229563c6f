package dev.edgekit.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgekit.protocol.message.Capability;
import dev.edgekit.protocol.message.Codec;
import dev.edgekit.protocol.message.Event;
import dev.edgekit.protocol.message.Heartbeat;
import dev.edgekit.protocol.message.MalformedMessageException;
import dev.edgekit.protocol.message.Telemetry;
import dev.edgekit.protocol.mqtt.Inbound;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.protocol.shadow.Desired;
import dev.edgekit.protocol.shadow.PendingDeltas;
import dev.edgekit.protocol.topic.DeviceTopic;
import dev.edgekit.protocol.topic.TopicKind;
import dev.edgekit.protocol.topic.Topics;
import dev.edgekit.ubiquitous.detect.Assessment;
import dev.edgekit.ubiquitous.detect.Liveness;
import dev.edgekit.ubiquitous.detect.LivenessMonitor;
import dev.edgekit.ubiquitous.detect.Transition;
import dev.edgekit.ubiquitous.registry.DeviceView;
import dev.edgekit.ubiquitous.registry.Registry;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The dashboard's model of the fleet: the registry and failure detector the CLI uses, plus the history, the timeline
 * and the time servers. Remembers which devices changed since the last {@link #drainChanged()} so the stream can send
 * one row per changed device per batch. Thread-safe.
 */
final class Fleet {
    private final Registry registry;
    private final LivenessMonitor liveness;
    private final InstantSource clock;
    private final History history;
    private final Timeline timeline;
    private final TimeServers timeServers = new TimeServers();
    private final Codec codec = new Codec();
    private final ObjectMapper json;
    private final Set<String> changed = ConcurrentHashMap.newKeySet();
    private final AtomicLong malformedEvents = new AtomicLong();
    private final PendingDeltas shadows = new PendingDeltas();

    Fleet(Registry registry, LivenessMonitor liveness, InstantSource clock, History.Limits limits, ObjectMapper json) {
        this.registry = registry;
        this.liveness = liveness;
        this.clock = clock;
        this.json = json;
        this.history = new History(limits, clock);
        this.timeline = new Timeline(2000, 200, limits.maxDevices());
        registry.addListener(view -> {
            history.observe(view);
            changed.add(view.site() + "/" + view.id());
        });
        liveness.addListener(this::transition);
        shadows.onChange((site, id) -> changed.add(site + "/" + id));
    }

    /**
     * Subscribes to what the registry does not keep: events, time announcements, Berkeley polls, and the shadows'
     * desired and reported documents (for pending deltas).
     */
    void attach(MqttSession session, String site) {
        shadows.attach(session, site);
        session.subscribe(Topics.filter(site, TopicKind.EVENT), 1, this::event);
        session.subscribe(Topics.timeFilter(site, "+/announce"), 1, timeServers::announce);
        session.subscribe(Topics.timeFilter(site, "berkeley/+/poll"), 0, timeServers::poll);
    }

    private void event(Inbound in) {
        Optional<DeviceTopic> topic = Topics.parse(in.topic());
        if (topic.isEmpty() || in.payload().length == 0) {
            return;
        }
        try {
            if (codec.decode(topic.get(), in.payload()) instanceof Event e) {
                timeline.add(clock.millis(), topic.get().site(), topic.get().device(), "event", e.name(),
                        e.severity().name().toLowerCase(java.util.Locale.ROOT), e.attributes(), e.time().toString());
            }
        } catch (MalformedMessageException e) {
            malformedEvents.incrementAndGet(); // the registry counts and logs it too
        }
    }

    private void transition(Transition t) {
        String severity = switch (t.to()) {
            case ONLINE, UNKNOWN -> "info";
            case SUSPECT, LOST, OFFLINE -> "warning";
        };
        timeline.add(t.at().toEpochMilli(), t.site(), t.id(), "state", t.from().wire() + "→" + t.to().wire(), severity,
                Map.of("reason", t.reason(), "phi", String.format(java.util.Locale.ROOT, "%.1f",
                        Math.min(t.suspicion(), 1e6))), null);
        changed.add(t.site() + "/" + t.id());
    }

    Set<String> drainChanged() {
        Set<String> out = new java.util.HashSet<>();
        for (var it = changed.iterator(); it.hasNext();) {
            out.add(it.next());
            it.remove();
        }
        return out;
    }

    Registry registry() {
        return registry;
    }

    History history() {
        return history;
    }

    Timeline timeline() {
        return timeline;
    }

    TimeServers timeServers() {
        return timeServers;
    }

    Instant now() {
        return clock.instant();
    }

    /** The state of {@code view} as this consumer judges it. */
    String state(DeviceView view, Instant now) {
        return liveness.assess(view.site(), view.id(), now).map(a -> a.state().wire())
                .orElse(view.status().name().toLowerCase(java.util.Locale.ROOT));
    }

    /** One fleet-table row. Every string in it is device-controlled text: the page renders it as text. */
    ObjectNode row(DeviceView d, Instant now) {
        ObjectNode r = json.createObjectNode();
        r.put("key", d.site() + "/" + d.id());
        r.put("site", d.site());
        r.put("id", d.id());
        r.put("name", Timeline.clip(d.name(), 128));
        Optional<Assessment> a = liveness.assess(d.site(), d.id(), now);
        r.put("state", a.map(x -> x.state().wire()).orElse(d.status().name().toLowerCase(java.util.Locale.ROOT)));
        a.ifPresent(x -> r.put("phi", Double.isFinite(x.suspicion()) ? Math.min(x.suspicion(), 1e6) : 1e6));
        if (d.lastSeenAt() != null) {
            r.put("lastSeen", d.lastSeenAt().toEpochMilli());
        }
        if (d.lastHeartbeatAt() != null) {
            r.put("heartbeatAt", d.lastHeartbeatAt().toEpochMilli());
        }
        Heartbeat hb = d.lastHeartbeat();
        if (hb != null) {
            Heartbeat.ClockStatus c = hb.clock();
            if (c.stratum() > 0) {
                r.put("offsetUs", c.offsetMicros());
            }
            if (c.errorBoundMicros() != null) {
                r.put("boundUs", c.errorBoundMicros());
            }
            r.put("stratum", c.stratum());
            r.put("mode", Timeline.clip(c.mode(), 32));
            if (c.server() != null) {
                r.put("timeServer", Timeline.clip(c.server(), 64));
            }
            r.put("outboxDepth", hb.outbox().depth());
            r.put("outboxDropped", hb.outbox().dropped());
        }
        int pending = shadows.pending(d.site(), d.id());
        if (pending >= 0) {
            r.put("pending", pending);
        }
        List<String> degraded = hb != null ? hb.degraded() : d.birth() != null ? d.birth().degraded() : List.of();
        ArrayNode deg = r.putArray("degraded");
        degraded.stream().limit(16).forEach(s -> deg.add(Timeline.clip(s, 200)));
        ArrayNode readings = r.putArray("readings");
        d.latest().values().stream().sorted(Comparator.comparing(Telemetry::channel)).limit(32).forEach(t -> {
            ObjectNode o = readings.addObject();
            o.put("channel", t.channel());
            o.put("value", t.value());
            o.put("unit", Timeline.clip(t.unit(), 16));
        });
        return r;
    }

    /** The device page's header: the row, the birth certificate, actuators and actions, the recorded channels. */
    Optional<ObjectNode> device(String site, String id, Instant now) {
        return registry.byId(site, id).map(d -> {
            ObjectNode o = json.createObjectNode();
            o.set("row", row(d, now));
            if (d.birth() != null) {
                o.set("birth", json.valueToTree(d.birth()));
                ArrayNode actuators = o.putArray("actuators");
                d.birth().capabilities().stream().filter(c -> c.kind() == Capability.Kind.ACTUATOR)
                        .forEach(c -> actuators.addObject().put("name", c.name()).put("unit", c.unit()));
                ArrayNode actions = o.putArray("actions"); // the one-shot commands the device says it carries out
                d.birth().capabilities().stream().filter(c -> c.kind() == Capability.Kind.COMMAND
                        && Controls.ACTIONS.contains(c.name())).forEach(c -> actions.add(c.name()));
            }
            ObjectNode channels = o.putObject("channels");
            history.channels(site, id).forEach(channels::put);
            shadow(site, id).ifPresent(shadow -> o.set("shadow", shadow));
            o.put("telemetryCount", d.telemetryCount());
            o.put("eventCount", d.eventCount());
            o.put("duplicates", d.duplicates());
            o.put("missing", d.missing());
            return o;
        });
    }

    /** The device's shadow: versions and each pending leaf with what is wanted, what runs and why not. */
    private Optional<ObjectNode> shadow(String site, String id) {
        Optional<Desired> desired = shadows.desired(site, id);
        if (desired.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode o = json.createObjectNode();
        o.put("desiredVersion", desired.get().version());
        shadows.reported(site, id).ifPresent(r -> o.put("reportedVersion", r.desiredVersion()));
        ArrayNode pending = o.putArray("pending");
        shadows.leaves(site, id).stream().limit(64).forEach(leaf -> {
            ObjectNode l = pending.addObject();
            l.put("path", Timeline.clip(leaf.path(), 200));
            l.put("desired", Timeline.clip(leaf.desired().toString(), 200));
            if (leaf.reported() != null) {
                l.put("reported", Timeline.clip(leaf.reported().toString(), 200));
            }
            if (leaf.refused() != null) {
                l.put("refused", Timeline.clip(leaf.refused(), 300));
            }
        });
        return Optional.of(o);
    }

    /** Devices offline, lost or suspect right now. */
    List<DeviceView> troubled(Instant now) {
        return registry.devices().stream().filter(d -> {
            Liveness l = liveness.liveness(d.site(), d.id(), now);
            return l == Liveness.SUSPECT || l == Liveness.LOST || l == Liveness.OFFLINE;
        }).toList();
    }

    long malformedEvents() {
        return malformedEvents.get();
    }
}
