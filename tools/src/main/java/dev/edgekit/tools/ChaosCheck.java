package dev.edgekit.tools;

import dev.edgekit.protocol.message.Codec;
import dev.edgekit.protocol.message.Event;
import dev.edgekit.protocol.message.MalformedMessageException;
import dev.edgekit.protocol.message.Message;
import dev.edgekit.protocol.message.Telemetry;
import dev.edgekit.protocol.mqtt.Inbound;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.protocol.topic.DeviceTopic;
import dev.edgekit.protocol.topic.TopicKind;
import dev.edgekit.protocol.topic.Topics;
import dev.edgekit.ubiquitous.registry.DeviceView;
import dev.edgekit.ubiquitous.registry.Registry;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The invariants a fleet under {@link Chaos} must keep, checked by a consumer of its own: nothing lost (every
 * sequence number any life of a device's agent gave out arrives), no sequence number reused for different data,
 * every struck device back online in a newer session, every clock synchronised again, and no device that chaos left
 * alone ever shown offline.
 */
final class ChaosCheck {
    private final String site;
    private final Set<String> victims;
    private final Registry registry;
    private final Codec codec = new Codec();
    private final Map<String, Received> received = new ConcurrentHashMap<>();
    private final Map<String, Long> firstBirth = new ConcurrentHashMap<>();
    private final Map<String, java.time.Instant> shownOffline = new ConcurrentHashMap<>(); // first time, per witness
    private final InstantSource clock;

    ChaosCheck(String site, Set<String> victims, InstantSource clock, MqttSession session) {
        this.site = site;
        this.victims = Set.copyOf(victims);
        this.clock = clock;
        this.registry = new Registry(clock, new Codec());
        registry.attach(session, site);
        registry.addListener(this::viewChanged);
        session.subscribe(Topics.filter(site, TopicKind.TELEMETRY), 1, this::data);
        session.subscribe(Topics.filter(site, TopicKind.EVENT), 1, this::data);
    }

    /** After a broker restart, offline states of witnesses are the restart's, not false. */
    static final java.time.Duration BROKER_RESTART_GRACE = java.time.Duration.ofSeconds(30);

    Registry registry() {
        return registry;
    }

    private void viewChanged(DeviceView view) {
        if (view.birth() != null) {
            firstBirth.putIfAbsent(view.id(), view.birth().birthSeq());
        }
        if (view.status() == DeviceView.Status.OFFLINE && !victims.contains(view.id())) {
            shownOffline.merge(view.id(), clock.instant(), (a, b) -> a);
        }
    }

    private void data(Inbound in) {
        DeviceTopic topic = Topics.parse(in.topic()).orElse(null);
        if (topic == null) {
            return;
        }
        try {
            Message message = codec.decode(topic, in.payload());
            long seq = switch (message) {
                case Telemetry t -> t.seq();
                case Event e -> e.seq();
                default -> -1;
            };
            if (seq >= 0) {
                received.computeIfAbsent(topic.device(), d -> new Received()).add(seq, Arrays.hashCode(in.payload()));
            }
        } catch (MalformedMessageException e) {
            // not ours to judge here: the registry counts it
        }
    }

    /** Sequence numbers one device's data arrived with, and a fingerprint of each body. */
    private static final class Received {
        private final Map<Long, Integer> bodies = new java.util.HashMap<>();
        private long reused;

        synchronized void add(long seq, int body) {
            Integer before = bodies.putIfAbsent(seq, body);
            if (before != null && before != body) {
                reused++; // a QoS 1 copy carries the same body; a different one means the number was given twice
            }
        }

        synchronized long missing(long from, long toExclusive) {
            long missing = 0;
            for (long seq = from; seq < toExclusive; seq++) {
                if (!bodies.containsKey(seq)) {
                    missing++;
                }
            }
            return missing;
        }

        synchronized long reused() {
            return reused;
        }

        synchronized int size() {
            return bodies.size();
        }
    }

    /**
     * The broken invariants, one line each; empty when the fleet kept them all.
     *
     * @param lives      every life of every device, each with the range of sequence numbers it gave out
     * @param struck     devices chaos crashed or cut off
     * @param unsynced   devices whose clock is not synchronised now
     */
    List<String> violations(Map<String, List<Simulator.Incarnation>> lives, Set<String> struck,
            Map<String, Long> liveNextSeq, Set<String> unsynced, List<java.time.Instant> brokerRestarts) {
        List<String> broken = new ArrayList<>();
        for (String device : new TreeSet<>(lives.keySet())) {
            Received got = received.getOrDefault(device, new Received());
            long missing = 0;
            for (Simulator.Incarnation life : lives.get(device)) {
                long end = life.endSeq >= 0 ? life.endSeq : liveNextSeq.getOrDefault(device, life.firstSeq);
                missing += got.missing(life.firstSeq, end);
            }
            if (missing > 0) {
                broken.add(device + ": " + missing + " sequence numbers given out never arrived");
            }
            if (got.reused() > 0) {
                broken.add(device + ": " + got.reused() + " sequence numbers arrived with two different bodies");
            }
            DeviceView view = registry.byId(site, device).orElse(null);
            if (view == null || view.status() != DeviceView.Status.ONLINE) {
                broken.add(device + ": not online at the end (" + (view == null ? "unknown" : view.status()
                        + ", birth " + (view.birth() == null ? "none" : view.birth().birthSeq()) + ", last heartbeat of "
                        + (view.lastHeartbeat() == null ? "none" : view.lastHeartbeat().birthSeq() + " at "
                        + view.lastHeartbeatAt())) + ")");
            } else if (struck.contains(device) && view.birth() != null
                    && view.birth().birthSeq() <= firstBirth.getOrDefault(device, Long.MAX_VALUE)) {
                broken.add(device + ": struck, but still in its first session's birth " + view.birth().birthSeq());
            }
        }
        // a broker restart drops every connection, and the broker may publish the Wills it kept: not false news
        new java.util.TreeMap<>(shownOffline).forEach((d, at) -> {
            if (brokerRestarts.stream().noneMatch(r -> !at.isBefore(r.minusSeconds(1)) && at.isBefore(r.plus(
                    BROKER_RESTART_GRACE)))) {
                broken.add(d + ": never struck, but shown offline at " + at);
            }
        });
        unsynced.stream().sorted().forEach(d -> broken.add(d + ": clock not synchronised at the end"));
        return broken;
    }

    /**
     * Ends the chaos and judges the fleet: heals partitions, waits (at most {@code maxWait}) until every device is
     * online, synchronised and has delivered its outbox, notes each agent's next sequence number, and waits until
     * everything below those numbers has arrived or the time is up.
     */
    List<String> settle(Simulator fleet, Chaos chaos, java.time.Duration maxWait, java.util.function.Consumer<String>
            progress) throws InterruptedException {
        chaos.calmDown();
        long deadline = System.nanoTime() + maxWait.toNanos(); // a wait bound, not a clock any component reads
        progress.accept("chaos over: waiting for every device to be back, synchronised and drained");
        while (System.nanoTime() < deadline && !settled(fleet)) {
            Thread.sleep(250);
        }
        Map<String, Long> next = new java.util.HashMap<>();
        fleet.agents().forEach(a -> next.put(a.id(), a.status().outbox().nextSeq()));
        List<String> broken;
        do {
            Thread.sleep(500);
            broken = violations(fleet.incarnations(), chaos.struck(), next, unsynced(fleet), chaos.brokerRestarts());
        } while (!broken.isEmpty() && System.nanoTime() < deadline);
        return broken;
    }

    private boolean settled(Simulator fleet) {
        return fleet.agents().size() == fleet.deviceIds().size() && unsynced(fleet).isEmpty()
                && fleet.agents().stream().allMatch(a -> a.isConnected() && a.status().outbox().depth() == 0);
    }

    private static Set<String> unsynced(Simulator fleet) {
        Set<String> out = new TreeSet<>();
        fleet.agents().stream().filter(a -> !a.clock().synchronised()).forEach(a -> out.add(a.id()));
        return out;
    }

    /** Data messages (distinct sequence numbers) received, over the fleet. */
    long distinctReceived() {
        return received.values().stream().mapToLong(Received::size).sum();
    }
}
