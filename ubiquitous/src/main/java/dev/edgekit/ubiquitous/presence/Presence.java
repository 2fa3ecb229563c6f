package dev.edgekit.ubiquitous.presence;

import dev.edgekit.protocol.message.Birth;
import dev.edgekit.protocol.message.Codec;
import dev.edgekit.protocol.message.Offline;
import dev.edgekit.protocol.mqtt.ConnectionListener;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.protocol.mqtt.MqttSessionBuilder;
import dev.edgekit.protocol.mqtt.Outgoing;
import dev.edgekit.protocol.mqtt.Will;
import dev.edgekit.protocol.topic.DeviceTopic;
import dev.edgekit.protocol.topic.Topics;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A device's presence on its retained {@code state} topic: a Last Will {@code offline} registered before
 * every connect, a birth certificate published after every connect, and an explicit {@code offline} on a graceful
 * stop. Every session gets a higher birth number, carried by both its Will and its birth, so a consumer can ignore a
 * late Will of an older session.
 *
 * <p>Use: {@link #configure(MqttSessionBuilder)} before building the session, then {@link #attach(MqttSession)}.
 */
public final class Presence implements ConnectionListener {
    private static final Logger log = LoggerFactory.getLogger(Presence.class);

    private final String site;
    private final String device;
    private final Duration willDelay;
    private final LongFunction<Birth> birthFactory;
    private final Codec codec;
    private final AtomicLong birthSeq;
    private volatile MqttSession session;
    private volatile long currentBirthSeq = -1;
    private volatile long birthAcked = -1;
    private final AtomicLong republished = new AtomicLong();
    private final AtomicLong repairsSkipped = new AtomicLong();
    static final int REPAIRS_PER_SECOND = 1;
    private final dev.edgekit.protocol.guard.TokenBucket repairs =
            new dev.edgekit.protocol.guard.TokenBucket(REPAIRS_PER_SECOND, 3);
    private final dev.edgekit.protocol.guard.RateLimitedLog limitedLog =
            new dev.edgekit.protocol.guard.RateLimitedLog(log, Duration.ofMinutes(1));

    /**
     * @param firstBirthSeq  the birth number of the first session; must exceed every number used before (from the
     *                       checkpoint, or the start time in milliseconds when there is none)
     * @param birthFactory   builds the birth certificate for a birth number (it also reads the current network)
     */
    public Presence(String site, String device, Duration willDelay, long firstBirthSeq, LongFunction<Birth> birthFactory,
            Codec codec) {
        this.site = site;
        this.device = device;
        this.willDelay = willDelay;
        this.birthFactory = birthFactory;
        this.codec = codec;
        this.birthSeq = new AtomicLong(firstBirthSeq - 1);
    }

    public DeviceTopic stateTopic() {
        return Topics.state(site, device);
    }

    /** Registers the Will: before each connect attempt, the next birth number is taken. */
    public MqttSessionBuilder configure(MqttSessionBuilder builder) {
        return builder.will(() -> {
            long seq = birthSeq.incrementAndGet();
            return new Will(stateTopic().topic(), codec.encode(Offline.will(device, seq)), 1, true, willDelay);
        });
    }

    public void attach(MqttSession session) {
        this.session = session;
        session.addConnectionListener(this);
        // watch our own retained state, so a late Will of an older session cannot leave us "offline"
        session.subscribe(stateTopic().topic(), 1, this::ownState);
    }

    // stale-Will repair
    /**
     * A Will of an older session published after our birth (a late Will, a will delay, a second connection of this
     * device) overwrites the retained state: consumers that start later would see us offline. Republish the birth.
     */
    void ownState(dev.edgekit.protocol.mqtt.Inbound in) {
        long current = currentBirthSeq;
        boolean ourBirthLanded = birthAcked == current && current >= 0;
        if (in.payload().length == 0) { // our retained state cleared while we run: say again that we are here
            if (ourBirthLanded) {
                repair(in, "cleared", current);
            }
            return;
        }
        try {
            if (codec.decode(stateTopic(), in.payload()) instanceof Offline offline && offline.birthSeq() < current
                    && (!in.retained() || ourBirthLanded)) {
                repair(in, "an older session's " + offline.status() + " (birth " + offline.birthSeq() + ")", current);
            }
        } catch (dev.edgekit.protocol.message.MalformedMessageException e) {
            limitedLog.warn("malformed-state", in.receivedAt(), "{}: malformed state on {}: {}", device, in.topic(),
                    e.getMessage());
        }
    }

    /**
     * Republishes the birth, at most {@link #REPAIRS_PER_SECOND} a second: anyone may publish on our state topic on an
     * open broker, and one cheap message must not buy one retained birth each. What is over is counted.
     */
    private void repair(dev.edgekit.protocol.mqtt.Inbound in, String shows, long current) {
        if (!repairs.tryAcquire(in.receivedAt())) {
            repairsSkipped.incrementAndGet();
            return;
        }
        limitedLog.info("repair", in.receivedAt(), "{}: state shows {}, not session {}: republishing birth", device,
                shows, current);
        republished.incrementAndGet();
        publishBirth(current, session.connectedServer());
    }

    /** Repairs of the retained state skipped because they came faster than {@link #REPAIRS_PER_SECOND}. */
    public long repairsSkipped() {
        return repairsSkipped.get();
    }

    /** How many times the birth was republished over a stale Will. */
    public long birthsRepublished() {
        return republished.get();
    }

    @Override
    public void connected(String serverUri, boolean sessionPresent) {
        long seq = birthSeq.get();
        currentBirthSeq = seq;
        publishBirth(seq, serverUri);
    }

    private void publishBirth(long seq, String serverUri) {
        Birth birth = birthFactory.apply(seq);
        session.publish(Outgoing.retained(stateTopic().topic(), codec.encode(birth), 1)).whenComplete((ok, e) -> {
            if (e != null) {
                log.warn("{}: birth {} not published: {}", device, seq, e.getMessage());
            } else {
                birthAcked = seq;
                log.info("{}: online (birth {}) via {}", device, seq, serverUri);
            }
        });
    }

    @Override
    public void disconnected(Throwable cause) {
        // the broker publishes our Will; the next connect brings a new birth
    }

    /** The birth number of the current session, or −1 before the first connect. */
    public long birthSeq() {
        return currentBirthSeq;
    }

    /**
     * Publishes a fresh birth certificate (retained) for the current session, same birth number, e.g. when the
     * device's health or capabilities changed; consumers replace the birth they hold. Does nothing while disconnected:
     * the next connect publishes a birth anyway.
     */
    public CompletableFuture<Void> republish() {
        MqttSession s = session;
        long seq = currentBirthSeq;
        if (s == null || seq < 0 || !s.isConnected()) {
            return CompletableFuture.completedFuture(null);
        }
        return s.publish(Outgoing.retained(stateTopic().topic(), codec.encode(birthFactory.apply(seq)), 1));
    }

    /** Publishes {@code offline} (retained) for a graceful stop; completes when the broker has it. */
    public CompletableFuture<Void> goOffline() {
        MqttSession s = session;
        if (s == null || !s.isConnected()) {
            return CompletableFuture.completedFuture(null);
        }
        long seq = Math.max(currentBirthSeq, 0);
        return s.publish(Outgoing.retained(stateTopic().topic(), codec.encode(Offline.shutdown(device, seq)), 1));
    }
}
