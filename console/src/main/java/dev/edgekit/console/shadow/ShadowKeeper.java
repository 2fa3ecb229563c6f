package dev.edgekit.console.shadow;

import dev.edgekit.protocol.clock.HybridLogicalClock;
import dev.edgekit.protocol.mqtt.ConnectionListener;
import dev.edgekit.protocol.mqtt.Inbound;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.protocol.mqtt.Outgoing;
import dev.edgekit.protocol.shadow.Desired;
import dev.edgekit.protocol.shadow.ShadowArbiter;
import dev.edgekit.protocol.shadow.ShadowCodec;
import dev.edgekit.protocol.shadow.ShadowException;
import dev.edgekit.protocol.shadow.ShadowTopics;
import dev.edgekit.protocol.shadow.UpdateRequest;
import dev.edgekit.protocol.shadow.UpdateResult;
import dev.edgekit.protocol.topic.Ids;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Arbitrates {@code desired} for every device of one site. All state is touched on the session's handler executor
 * (one handler at a time), so the per-device {@link ShadowArbiter}s need no lock.
 *
 * <p>Restart: the desired filter is subscribed before the update filter, so the broker queues every retained
 * desired document to the keeper before any update request; a restarted keeper therefore answers its first
 * request knowing the current version. After a broker restart (session not present) it republishes what it holds,
 * which is a no-op for devices (same version) and restores the documents a broker without persistence lost.
 */
public final class ShadowKeeper implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ShadowKeeper.class);
    /** Cap on devices per site, so a flood of update topics cannot grow the keeper without bound. */
    static final int MAX_DEVICES = 10_000;

    private final MqttSession session;
    private final String site;
    private final Supplier<String> hlc;
    private final ShadowCodec codec = new ShadowCodec();
    private final Map<String, ShadowArbiter> arbiters = new ConcurrentHashMap<>();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong conflicts = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    public ShadowKeeper(MqttSession session, String site, HybridLogicalClock clock) {
        this(session, site, () -> clock.tick().toString());
    }

    ShadowKeeper(MqttSession session, String site, Supplier<String> hlc) {
        this.session = session;
        this.site = Ids.require(site, "site");
        this.hlc = hlc;
    }

    /** Subscribes (desired first, see the class comment); completes when both are granted. */
    public CompletableFuture<Void> start() {
        var desired = session.subscribe(ShadowTopics.filter(site, ShadowTopics.DESIRED), 1, this::onRetained);
        var updates = session.subscribe(ShadowTopics.filter(site, ShadowTopics.UPDATE), 1, this::onUpdate);
        session.addConnectionListener(new ConnectionListener() {
            @Override
            public void connected(String serverUri, boolean sessionPresent) {
                if (!sessionPresent) {
                    republish();
                }
            }

            @Override
            public void disconnected(Throwable cause) {
            }
        });
        return CompletableFuture.allOf(desired.granted(), updates.granted());
    }

    public long accepted() {
        return accepted.get();
    }

    public long conflicts() {
        return conflicts.get();
    }

    /** Malformed documents and requests, invalid states, requests without a valid reply topic. */
    public long refused() {
        return refused.get();
    }

    private void onRetained(Inbound in) {
        String device = ShadowTopics.device(site, in.topic());
        if (device == null || in.payload().length == 0) {
            return;
        }
        try {
            Desired d = codec.decodeDesired(device, in.payload());
            ShadowArbiter arbiter = arbiter(device);
            if (arbiter != null) {
                arbiter.observe(d);
            }
        } catch (ShadowException e) {
            refused.incrementAndGet();
            log.debug("shadow keeper: bad retained desired on {}: {}", in.topic(), e.getMessage());
        }
    }

    private void onUpdate(Inbound in) {
        String device = ShadowTopics.device(site, in.topic());
        String writer = in.userProperties().getOrDefault("writer", "");
        if (device == null || !in.isRequest() || !validId(writer)
                || !in.responseTopic().equals(ShadowTopics.reply(site, writer))) {
            // a reply goes only to the writer's own inbox, never wherever a request points
            refused.incrementAndGet();
            return;
        }
        UpdateResult result;
        ShadowArbiter arbiter = arbiter(device);
        if (arbiter == null) {
            result = new UpdateResult.Invalid("device: more than " + MAX_DEVICES + " shadows on this site");
        } else {
            try {
                UpdateRequest request = codec.decodeUpdate(in.payload());
                result = arbiter.update(request, writer, hlc.get());
            } catch (ShadowException e) {
                result = new UpdateResult.Invalid(e.getMessage());
            }
        }
        switch (result) {
            case UpdateResult.Accepted a -> {
                accepted.incrementAndGet();
                // Answer only once the new retained document is acknowledged by the broker.
                session.publish(Outgoing.retained(ShadowTopics.desired(site, device), codec.encode(arbiter.current()), 1))
                        .whenComplete((ok, e) -> session.respond(in, codec.encode(e == null ? a
                                : new UpdateResult.Invalid("broker: desired not stored (" + e.getMessage() + ")")), 1));
                log.info("shadow {}: desired v{} by {}", device, a.version(), writer);
            }
            case UpdateResult.VersionConflict c -> {
                conflicts.incrementAndGet();
                session.respond(in, codec.encode(c), 1);
            }
            case UpdateResult.Invalid i -> {
                refused.incrementAndGet();
                session.respond(in, codec.encode(i), 1);
            }
        }
    }

    private ShadowArbiter arbiter(String device) {
        ShadowArbiter arbiter = arbiters.get(device);
        if (arbiter == null && arbiters.size() < MAX_DEVICES) {
            arbiter = ShadowArbiter.empty(device);
            arbiters.put(device, arbiter);
        }
        return arbiter;
    }

    private void republish() {
        // Runs on Paho's connect callback: publish is non-blocking; the map is concurrent, current() is volatile.
        arbiters.values().stream().filter(a -> a.current().version() > 0).forEach(a -> session.publish(
                Outgoing.retained(ShadowTopics.desired(site, a.current().device()), codec.encode(a.current()), 1)));
    }

    private static boolean validId(String id) {
        return Ids.isValid(id);
    }

    @Override
    public void close() {
    }
}
