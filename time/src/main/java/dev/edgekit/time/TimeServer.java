package dev.edgekit.time;

import dev.edgekit.protocol.message.Codec;
import dev.edgekit.protocol.message.MalformedMessageException;
import dev.edgekit.protocol.mqtt.ConnectionListener;
import dev.edgekit.protocol.mqtt.Inbound;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.protocol.mqtt.Outgoing;
import dev.edgekit.protocol.mqtt.Subscription;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server role: answers time requests on {@code …/$time/{self}/request} with its {@link DisciplinedClock} and
 * announces itself (retained) on {@code …/$time/{self}/announce}. Stratum 1 over a reference clock
 * ({@link DisciplinedClock#reference}); stratum n+1 over a clock disciplined by a {@link TimeClient} from a
 * stratum-n server; an unsynchronised clock answers at stratum 16, which every client rejects.
 *
 * <p>Timestamps: t2 is the session's arrival stamp ({@code Inbound.receivedAt}, taken on Paho's callback thread
 * before any hand-off), which must come from the <em>raw device clock</em> of {@code clock} (build the session with
 * {@code .clock(clock.device())}); it is mapped onto the disciplined timeline. t3 is read just before the reply is
 * encoded and published, on the same timeline (without the monotonic floor of {@link DisciplinedClock#read}, which
 * would make t3 − t2 lie while the clock stands still after a backward step). Both legs thus pay the same encode and Paho send costs, which cancel in θ.
 * The reply also carries the socket-level stamps ({@link WireTimes}: when the request came off this server's socket,
 * and a placeholder its socket stamps as the reply goes out), which a client uses in place of t2/t3 when it can.
 */
public final class TimeServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TimeServer.class);

    private final MqttSession session;
    private final String site;
    private final String selfId;
    private final DisciplinedClock clock;
    private final Codec codec = new Codec();
    private final AtomicLong served = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicReference<TimeMessage.Announce> announced = new AtomicReference<>();
    private volatile Subscription subscription;
    private volatile boolean closed;

    /** Counters. */
    public record Stats(long served, long malformed, int stratum) {}

    private TimeServer(MqttSession session, String site, String selfId, DisciplinedClock clock) {
        this.session = Objects.requireNonNull(session);
        this.site = site;
        this.selfId = TimeTopics.requireServerId(selfId);
        this.clock = Objects.requireNonNull(clock);
    }

    /**
     * Subscribes and announces (now if connected, and after every connect). Call before or after the session's
     * {@code connect()}.
     */
    public static TimeServer start(MqttSession session, String site, String selfId, DisciplinedClock clock) {
        TimeServer server = new TimeServer(session, site, selfId, clock);
        server.subscription = session.subscribe(TimeTopics.request(site, selfId), 0, server::onRequest);
        session.addConnectionListener(new ConnectionListener() {
            @Override
            public void connected(String serverUri, boolean sessionPresent) {
                server.announced.set(null);
                server.refreshAnnouncement();
            }

            @Override
            public void disconnected(Throwable cause) {
            }
        });
        if (session.isConnected()) server.refreshAnnouncement();
        return server;
    }

    public String id() {
        return selfId;
    }

    /** Completes when the broker granted the request subscription. */
    public CompletableFuture<Void> ready() {
        return subscription.granted();
    }

    private void onRequest(Inbound in) {
        if (closed) return;
        long arrival = Nanos.epochNanos(in.receivedAt());
        long t2 = clock.epochNanosAt(arrival);
        TimeMessage.Request request;
        try {
            request = codec.decode(TimeMessage.Request.class, in.payload());
        } catch (MalformedMessageException e) {
            malformed.incrementAndGet();
            log.debug("{}: malformed time request on {}: {}", selfId, in.topic(), e.getMessage());
            return;
        }
        if (!in.isRequest() || !in.responseTopic().equals(TimeTopics.reply(site, request.client()))) {
            // a reply goes only to the requesting client's own inbox, never wherever a request points (the ACL lets a
            // time server write every reply/+ topic, so the server must not be a relay for anything else)
            malformed.incrementAndGet();
            log.debug("{}: time request on {} without the response topic of client {}", selfId, in.topic(),
                    request.client());
            return;
        }
        ServerInfo info = clock.serverInfo(selfId);
        long transmit = clock.deviceNanos();
        long t3 = clock.epochNanosAt(transmit); // same (unfloored) timeline as t2
        byte[] body = codec.encodeRecord(TimeMessage.Reply.of(request.token(), request.originNanos(), t2, t3, info,
                WireTimes.reply(request.wire(), arrival, transmit)));
        session.respond(in, body, 0);
        served.incrementAndGet();
    }

    /** Publishes the retained announcement if stratum or chain changed since the last one (cheap; call often). */
    public void refreshAnnouncement() {
        if (closed || !session.isConnected()) return;
        TimeMessage.Announce now = TimeMessage.Announce.of(clock.serverInfo(selfId));
        TimeMessage.Announce last = announced.get();
        if (last != null && last.stratum() == now.stratum() && last.chain().equals(now.chain())) return;
        announced.set(now);
        session.publish(Outgoing.retained(TimeTopics.announce(site, selfId), codec.encodeRecord(now), 1))
                .whenComplete((ok, e) -> {
                    if (e != null) {
                        announced.compareAndSet(now, null); // try again next time
                    } else {
                        log.info("{}: serving time at stratum {} (chain {})", selfId, now.stratum(), now.chain());
                    }
                });
    }

    public Stats stats() {
        return new Stats(served.get(), malformed.get(), clock.serverInfo(selfId).stratum());
    }

    /** Stops answering and clears the retained announcement (empty retained message), if connected. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        subscription.cancel();
        if (session.isConnected()) {
            try {
                session.publish(Outgoing.retained(TimeTopics.announce(site, selfId), new byte[0], 1))
                        .get(2, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                log.debug("{}: announcement not cleared: {}", selfId, e.toString());
            }
        }
    }
}
