package dev.edgekit.tools.fuzz;

import dev.edgekit.protocol.clock.HlcTimestamp;
import dev.edgekit.protocol.message.Codec;
import dev.edgekit.protocol.message.Heartbeat;
import dev.edgekit.protocol.message.MalformedMessageException;
import dev.edgekit.protocol.mqtt.Inbound;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.protocol.topic.DeviceTopic;
import dev.edgekit.protocol.topic.TopicKind;
import dev.edgekit.protocol.topic.Topics;
import dev.edgekit.ubiquitous.registry.DeviceView;
import dev.edgekit.ubiquitous.registry.Registry;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Watches a live fleet as an independent consumer while it is attacked, and says which of the fleet's invariants
 * held (docs/hardening.md): every device keeps heartbeating; no device answers above its rate limit; the logical
 * stamps the devices publish stay within bounds; the registry's view of the real devices does not change (an offline
 * state shown for one is proved false by its next heartbeat); and every hostile input is counted where the rules say.
 */
final class FleetInvariants implements AutoCloseable {
    /** The most replies a device can send in one second: its burst of commands and of busy answers, and a refill. */
    static final int MAX_REPLIES_PER_SECOND = 2 * (40 + 20);
    /** Far above any count a fleet reaches by itself, far below where a poisoned stamp would take it. */
    static final long MAX_LAMPORT = 1L << 32;
    /** HLC wall time vs this observer's clock: the sync error of a synchronised device is milliseconds. */
    static final Duration MAX_HLC_OFFSET = Duration.ofSeconds(1);

    private final String site;
    private final Set<String> devices;
    private final Duration heartbeat;
    private final InstantSource clock;
    private final Registry registry;
    private final Codec codec = new Codec();
    private final Map<String, DeviceWatch> watches = new ConcurrentHashMap<>();

    FleetInvariants(String site, List<String> devices, Duration heartbeat, InstantSource clock, MqttSession session) {
        this.site = site;
        this.devices = Set.copyOf(devices);
        this.heartbeat = heartbeat;
        this.clock = clock;
        devices.forEach(d -> watches.put(d, new DeviceWatch()));
        this.registry = new Registry(clock, new Codec());
        registry.attach(session, site);
        registry.addListener(this::viewChanged);
        session.subscribe(Topics.filter(site, TopicKind.HEARTBEAT), 0, this::published);
        session.subscribe(Topics.ROOT + "/" + site + "/+/reply/#", 1, this::published);
        session.subscribe(Topics.filter(site, TopicKind.TELEMETRY), 1, this::published);
    }

    Registry registry() {
        return registry;
    }

    /** The current session number of a device as this observer sees it. */
    OptionalLong birthSeq(String device) {
        return registry.byId(site, device).filter(v -> v.birth() != null)
                .map(v -> OptionalLong.of(v.birth().birthSeq())).orElse(OptionalLong.empty());
    }

    /** Every real device is online with a birth and a heartbeat of that session (the run may begin). */
    boolean settled() {
        return devices.stream().allMatch(d -> registry.byId(site, d).filter(v -> v.status() == DeviceView.Status.ONLINE
                && v.birth() != null && v.lastHeartbeat() != null
                && v.lastHeartbeat().birthSeq() == v.birth().birthSeq()).isPresent()
                && watches.get(d).lastRefused() != null);
    }

    /** From now on, gaps, rates and offline spells count. */
    void arm() {
        long now = clock.millis();
        watches.values().forEach(w -> w.arm(now));
    }

    /** The last refusal counts a device published in its heartbeat. */
    Map<String, Long> refused(String device) {
        Map<String, Long> last = watches.get(device).lastRefused();
        return last == null ? Map.of() : last;
    }

    private void published(Inbound in) {
        Optional<DeviceTopic> topic = Topics.parse(in.topic());
        String device = topic.map(DeviceTopic::device).orElseGet(() -> replyDevice(in.topic()));
        DeviceWatch watch = device == null ? null : watches.get(device);
        String lamport = in.userProperties().get("lamport");
        if (watch == null || lamport == null) {
            return; // not one of ours, or not published by edgekit (the fuzzer's spoofs carry no stamp)
        }
        long now = clock.millis();
        watch.stamp(parseLong(lamport), hlcOffsetMillis(in.userProperties().get("hlc"), now));
        if (topic.isPresent() && topic.get().kind() == TopicKind.HEARTBEAT) {
            try {
                Heartbeat beat = (Heartbeat) codec.decode(topic.get(), in.payload());
                watch.heartbeat(now, beat.refused());
            } catch (MalformedMessageException | ClassCastException e) {
                watch.malformedOwn();
            }
        } else if (topic.isEmpty()) {
            watch.reply(now);
        }
    }

    private String replyDevice(String topic) {
        String prefix = Topics.ROOT + "/" + site + "/";
        if (!topic.startsWith(prefix)) {
            return null;
        }
        String[] levels = topic.substring(prefix.length()).split("/", 3);
        return levels.length >= 2 && levels[1].equals("reply") ? levels[0] : null;
    }

    private void viewChanged(DeviceView view) {
        DeviceWatch watch = watches.get(view.id());
        if (watch != null && view.site().equals(site)) {
            watch.status(clock.millis(), view.status() == DeviceView.Status.ONLINE);
        }
    }

    private static long parseLong(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private static long hlcOffsetMillis(String text, long now) {
        try {
            return Math.abs(HlcTimestamp.parse(text).wallMillis() - now);
        } catch (IllegalArgumentException | NullPointerException e) {
            return Long.MAX_VALUE;
        }
    }

    /** What broke, one line each; empty when every invariant held. {@code end} is when the attack stopped. */
    List<String> violations(long end) {
        List<String> broken = new ArrayList<>();
        long maxGap = heartbeat.toMillis() * 3;
        for (String device : devices.stream().sorted().toList()) {
            DeviceWatch w = watches.get(device);
            DeviceWatch.Figures f = w.figures(end);
            if (f.worstHeartbeatGapMillis() > maxGap) {
                broken.add(device + ": no heartbeat for " + f.worstHeartbeatGapMillis() + " ms (limit " + maxGap + ")");
            }
            if (f.mostRepliesInASecond() > MAX_REPLIES_PER_SECOND) {
                broken.add(device + ": " + f.mostRepliesInASecond() + " replies in one second (limit "
                        + MAX_REPLIES_PER_SECOND + ")");
            }
            if (f.highestLamport() > MAX_LAMPORT) {
                broken.add(device + ": published Lamport time " + f.highestLamport() + " (bound " + MAX_LAMPORT + ")");
            }
            if (f.worstHlcOffsetMillis() > MAX_HLC_OFFSET.toMillis()) {
                broken.add(device + ": published an HLC " + f.worstHlcOffsetMillis() + " ms off this observer's clock");
            }
            if (f.longestOfflineMillis() > heartbeat.toMillis() * 2) {
                broken.add(device + ": shown not online for " + f.longestOfflineMillis() + " ms at a stretch");
            }
            if (f.malformedOwn() > 0) {
                broken.add(device + ": " + f.malformedOwn() + " of its own heartbeats did not decode");
            }
        }
        return broken;
    }

    DeviceWatch.Figures figures(String device, long end) {
        return watches.get(device).figures(end);
    }

    @Override
    public void close() {
        // the session belongs to the caller
    }
}
