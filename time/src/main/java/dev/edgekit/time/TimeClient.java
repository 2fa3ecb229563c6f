package dev.edgekit.time;

import dev.edgekit.protocol.message.Codec;
import dev.edgekit.protocol.message.MalformedMessageException;
import dev.edgekit.protocol.mqtt.ConnectionListener;
import dev.edgekit.protocol.mqtt.Inbound;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.protocol.mqtt.Outgoing;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client role over MQTT: runs the {@link TimeSync} loop — ask {@link TimeSync#nextAction} on every wake-up and
 * after every reply; send a request (QoS 0, MQTT 5 request/response to {@code …/$time/{server}/request}, replies on
 * {@code …/$time/reply/{self}}) or schedule the next wake-up — and hands every reply to {@link TimeSync#onReply},
 * which disciplines the clock.
 *
 * <p>Timestamps are taken at the socket where both ends can ({@link WireTimes}: the request and the reply carry
 * placeholders that the sessions' sockets overwrite on the way out and in), else by the application, as follows.
 * Timestamps are taken on the <em>raw device clock</em>: t1 with {@link TimeSync#stampNanos()} just before the
 * request is encoded and published; t4 is the session's arrival stamp ({@code Inbound.receivedAt}), taken first thing
 * on Paho's callback thread before the hand-off to the handler executor (stamping after the hand-off costs ~5% and
 * queues behind other handlers). That needs the session built with {@code .clock(deviceClock)}, the same device clock
 * the {@link DisciplinedClock} wraps; the logical clocks can still run on the disciplined clock
 * ({@code .logicalClocks(...)}). {@link #start} takes {@code sessionStampsDeviceClock}: false makes the client stamp
 * t4 itself, first thing in the reply handler.
 *
 * <p>Bad replies: a body that does not decode is counted here ({@link Stats#malformed}); everything else (unknown
 * token, stale, negative delay, absurd timestamps, another server's answer, loops, …) is rejected and counted by
 * {@link TimeSync#rejections()}; replies whose MQTT correlation data matches no pending request are dropped and
 * counted by the session ({@code SessionStats.unmatchedReplies}). None of them moves the clock. The session-level
 * request timeout is twice the exchange timeout, so a late reply still reaches {@link TimeSync} and is counted as
 * {@link RejectReason#STALE}.
 */
public final class TimeClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TimeClient.class);

    private final MqttSession session;
    private final String site;
    private final String selfId;
    private final TimeSync sync;
    private final ScheduledExecutorService scheduler;
    private final boolean sessionStampsDeviceClock;
    private final Duration requestTimeout;
    private final Consumer<Verdict> observer;
    private final Codec codec = new Codec();
    private final String replyTopic;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong onWire = new AtomicLong();
    private final Object wakeLock = new Object();
    private ScheduledFuture<?> wake; // guarded by wakeLock
    private long wakeAtNanos = Long.MAX_VALUE; // guarded by wakeLock
    private long wakeGeneration; // guarded by wakeLock
    private volatile boolean closed;

    /**
     * Counters of the wiring (the core's counters are in {@link TimeSync}); {@code repliesOnWire}: replies whose four
     * timestamps all came from the sockets ({@link WireTimes}).
     */
    public record Stats(long requestsSent, long sendFailures, long malformedReplies, long accepted, long timeouts,
                        long repliesOnWire) {}

    private TimeClient(MqttSession session, String site, String selfId, TimeSync sync,
                       ScheduledExecutorService scheduler, boolean sessionStampsDeviceClock, Duration replyTimeout,
                       Consumer<Verdict> observer) {
        this.session = Objects.requireNonNull(session);
        this.site = Objects.requireNonNull(site);
        this.selfId = Objects.requireNonNull(selfId);
        this.sync = Objects.requireNonNull(sync);
        this.scheduler = Objects.requireNonNull(scheduler);
        this.sessionStampsDeviceClock = sessionStampsDeviceClock;
        this.requestTimeout = replyTimeout.multipliedBy(2);
        this.observer = observer == null ? v -> { } : observer;
        this.replyTopic = TimeTopics.reply(site, selfId);
    }

    /**
     * Starts the loop now and again on every connect.
     *
     * @param config                   the config {@code sync} was created with (for the exchange timeout)
     * @param sessionStampsDeviceClock whether the session's clock is the raw device clock of {@code sync.clock()}
     * @param observer                 sees every verdict (benchmarks, tests), on the session's handler executor; may be null
     */
    public static TimeClient start(MqttSession session, String site, String selfId, TimeSync sync,
                                   TimeSyncConfig config, ScheduledExecutorService scheduler,
                                   boolean sessionStampsDeviceClock, Consumer<Verdict> observer) {
        TimeClient client = new TimeClient(session, site, selfId, sync, scheduler, sessionStampsDeviceClock,
                config.replyTimeout(), observer);
        session.addConnectionListener(new ConnectionListener() {
            @Override
            public void connected(String serverUri, boolean sessionPresent) {
                client.loop();
            }

            @Override
            public void disconnected(Throwable cause) {
            }
        });
        if (session.isConnected()) client.loop();
        return client;
    }

    public TimeSync sync() {
        return sync;
    }

    /** One turn of the loop: send whatever is due, then sleep until the next thing is. */
    void loop() {
        if (closed) return;
        try {
            while (true) {
                PollAction action = sync.nextAction(sync.stampNanos());
                switch (action) {
                    case PollAction.Send s -> send(s);
                    case PollAction.Wait w -> {
                        wakeAt(w.untilNanos());
                        return;
                    }
                }
            }
        } catch (RuntimeException e) {
            log.error("{}: time client loop failed; retrying in 1 s", selfId, e);
            wakeAt(sync.stampNanos() + 1_000_000_000L);
        }
    }

    private void send(PollAction.Send s) {
        long t1 = sync.stampNanos();
        byte[] body = codec.encodeRecord(new TimeMessage.Request(selfId, s.token(), t1, WireTimes.request()));
        sent.incrementAndGet();
        session.request(Outgoing.of(TimeTopics.request(site, s.serverId()), body, 0), replyTopic, requestTimeout)
                .whenComplete((reply, failure) -> {
                    if (failure != null) {
                        failed.incrementAndGet(); // timed out or not sent: the poll scheduler's deadline notices
                        return;
                    }
                    onReply(reply, t1);
                });
    }

    private void onReply(Inbound in, long t1) {
        long t4 = sessionStampsDeviceClock ? Nanos.epochNanos(in.receivedAt()) : sync.stampNanos();
        if (closed) return;
        TimeMessage.Reply reply;
        ServerInfo info;
        try {
            reply = codec.decode(TimeMessage.Reply.class, in.payload());
            info = reply.info();
        } catch (MalformedMessageException | IllegalArgumentException e) {
            malformed.incrementAndGet();
            log.debug("{}: malformed time reply on {}: {}", selfId, in.topic(), e.getMessage());
            loop();
            return;
        }
        WireTimes.Times x = WireTimes.refine(t1, reply.receiveNanos(), reply.transmitNanos(), t4, reply.wire(),
                sessionStampsDeviceClock);
        if (x.onWire()) onWire.incrementAndGet();
        Verdict verdict = sync.onReply(reply.token(), x.t1(), x.t2(), x.t3(), info, x.t4());
        if (verdict instanceof Verdict.Rejected r) {
            log.debug("{}: reply from {} rejected: {} ({})", selfId, reply.server(), r.reason(), r.detail());
        }
        try {
            observer.accept(verdict);
        } finally {
            loop();
        }
    }

    private void wakeAt(long untilNanos) {
        synchronized (wakeLock) {
            if (closed) return;
            if (wake != null && !wake.isDone() && wakeAtNanos <= untilNanos) return; // an earlier wake-up will do
            if (wake != null) wake.cancel(false);
            long delay = Math.max(0, untilNanos - sync.stampNanos());
            wakeAtNanos = untilNanos;
            long generation = ++wakeGeneration;
            wake = scheduler.schedule(() -> {
                synchronized (wakeLock) {
                    if (generation == wakeGeneration) {
                        wake = null; // this wake-up is running: the loop may schedule the next one
                        wakeAtNanos = Long.MAX_VALUE;
                    }
                }
                loop();
            }, delay, TimeUnit.NANOSECONDS);
        }
    }

    /** Polls within {@code range} from now on; a burst the new range makes due leaves at once. */
    public void pollRange(PollRange range) {
        sync.pollRange(range);
        loop();
    }

    /** Polls every server now (a burst each) unless already polling it; how many servers start a burst. */
    public int pollNow() {
        int started = sync.pollNow(sync.stampNanos());
        loop();
        return started;
    }

    public Stats stats() {
        return new Stats(sent.get(), failed.get(), malformed.get(), sync.acceptedSamples(), sync.timeouts(),
                onWire.get());
    }

    @Override
    public void close() {
        closed = true;
        synchronized (wakeLock) {
            if (wake != null) wake.cancel(false);
        }
    }
}
