package dev.edgekit.time;

import dev.edgekit.protocol.message.Codec;
import dev.edgekit.protocol.message.MalformedMessageException;
import dev.edgekit.protocol.mqtt.ConnectionListener;
import dev.edgekit.protocol.mqtt.Inbound;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.protocol.mqtt.Outgoing;
import dev.edgekit.protocol.mqtt.Subscription;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Berkeley group member: announces its membership (retained on {@code …/$time/berkeley/members/{self}}), answers
 * the master's clock polls with its disciplined clock (t2 on arrival, t3 just before replying, so the master can
 * compensate for the round trip), and applies the master's adjustments through {@link DisciplinedClock#adjust}.
 * An adjustment of a round not newer than the last one applied from the same master is ignored and counted. As
 * with {@link TimeServer}, the session's clock must be the raw device clock of {@code clock}.
 */
public final class BerkeleyMember implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BerkeleyMember.class);

    private final MqttSession session;
    private final String site;
    private final String selfId;
    private final DisciplinedClock clock;
    private final Codec codec = new Codec();
    private final Map<String, Long> lastRoundByMaster = new ConcurrentHashMap<>();
    private final AtomicLong polls = new AtomicLong();
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong ignored = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final List<Subscription> subscriptions;
    private volatile boolean closed;

    public record Stats(long pollsAnswered, long adjustmentsApplied, long adjustmentsIgnored, long malformed) {}

    private BerkeleyMember(MqttSession session, String site, String selfId, DisciplinedClock clock) {
        this.session = Objects.requireNonNull(session);
        this.site = site;
        this.selfId = TimeTopics.requireMemberId(selfId);
        this.clock = Objects.requireNonNull(clock);
        this.subscriptions = List.of(session.subscribe(TimeTopics.poll(site, selfId), 0, this::onPoll),
                session.subscribe(TimeTopics.adjust(site, selfId), 0, this::onAdjust));
    }

    public static BerkeleyMember start(MqttSession session, String site, String selfId, DisciplinedClock clock) {
        BerkeleyMember member = new BerkeleyMember(session, site, selfId, clock);
        session.addConnectionListener(new ConnectionListener() {
            @Override
            public void connected(String serverUri, boolean sessionPresent) {
                member.announce();
            }

            @Override
            public void disconnected(Throwable cause) {
            }
        });
        if (session.isConnected()) member.announce();
        return member;
    }

    /** Completes when the broker granted the poll and adjust subscriptions. */
    public CompletableFuture<Void> ready() {
        return CompletableFuture.allOf(subscriptions.stream().map(Subscription::granted)
                .toArray(CompletableFuture[]::new));
    }

    private void announce() {
        if (closed) return;
        session.publish(Outgoing.retained(TimeTopics.member(site, selfId),
                codec.encodeRecord(new TimeMessage.BerkeleyMember(selfId)), 1));
    }

    private void onPoll(Inbound in) {
        long arrival = Nanos.epochNanos(in.receivedAt());
        long t2 = clock.epochNanosAt(arrival);
        if (closed) return;
        TimeMessage.BerkeleyPoll poll;
        try {
            poll = codec.decode(TimeMessage.BerkeleyPoll.class, in.payload());
        } catch (MalformedMessageException e) {
            malformed.incrementAndGet();
            return;
        }
        if (!in.isRequest() || !in.responseTopic().equals(TimeTopics.reply(site, poll.master()))) {
            // a reading goes only to the polling master's own inbox, never wherever a poll points
            malformed.incrementAndGet();
            return;
        }
        long transmit = clock.deviceNanos();
        long t3 = clock.epochNanosAt(transmit);
        session.respond(in, codec.encodeRecord(new TimeMessage.BerkeleyReading(selfId, poll.round(), t2, t3,
                WireTimes.reply(poll.wire(), arrival, transmit))), 0);
        polls.incrementAndGet();
    }

    private void onAdjust(Inbound in) {
        if (closed) return;
        TimeMessage.BerkeleyAdjust adjust;
        try {
            adjust = codec.decode(TimeMessage.BerkeleyAdjust.class, in.payload());
        } catch (MalformedMessageException e) {
            malformed.incrementAndGet();
            return;
        }
        Long last = lastRoundByMaster.get(adjust.master());
        if (last != null && adjust.round() <= last) {
            ignored.incrementAndGet();
            log.debug("{}: adjustment of round {} from {} ignored (last applied {})", selfId, adjust.round(),
                    adjust.master(), last);
            return;
        }
        lastRoundByMaster.put(adjust.master(), adjust.round());
        apply(adjust.master(), adjust.adjustmentNanos(), adjust.uncertaintyNanos());
        log.debug("{}: adjusted by {} ns (round {} of {}{})", selfId, adjust.adjustmentNanos(), adjust.round(),
                adjust.master(), adjust.includedInAverage() ? "" : ", excluded from the average");
    }

    void apply(String masterId, long adjustmentNanos, long uncertaintyNanos) {
        clock.adjust(masterId, Duration.ofNanos(adjustmentNanos), Duration.ofNanos(uncertaintyNanos));
        applied.incrementAndGet();
    }

    public DisciplinedClock clock() {
        return clock;
    }

    public String id() {
        return selfId;
    }

    public Stats stats() {
        return new Stats(polls.get(), applied.get(), ignored.get(), malformed.get());
    }

    /** Leaves the group: stops answering and clears the retained membership, if connected. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        subscriptions.forEach(Subscription::cancel);
        if (session.isConnected()) {
            try {
                session.publish(Outgoing.retained(TimeTopics.member(site, selfId), new byte[0], 1))
                        .get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.debug("{}: membership not cleared: {}", selfId, e.toString());
            }
        }
    }
}
