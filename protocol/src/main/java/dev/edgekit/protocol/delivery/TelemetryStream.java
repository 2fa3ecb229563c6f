package dev.edgekit.protocol.delivery;

import dev.edgekit.protocol.message.Codec;
import dev.edgekit.protocol.message.Event;
import dev.edgekit.protocol.message.MalformedMessageException;
import dev.edgekit.protocol.message.Message;
import dev.edgekit.protocol.message.Telemetry;
import dev.edgekit.protocol.mqtt.Inbound;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.protocol.mqtt.Subscription;
import dev.edgekit.protocol.topic.DeviceTopic;
import dev.edgekit.protocol.topic.TopicKind;
import dev.edgekit.protocol.topic.Topics;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer's end of "no data lost": subscribes (QoS 1) to the telemetry and events of a site, decodes them, drops
 * QoS 1 duplicates by (device, seq) with a {@link Deduplicator}, reports gaps, and hands each entry over once, in the
 * order it arrived. A device's outbox publishes every entry for the first time in sequence order, so on one broker
 * that is sequence order; {@link #outOfOrder()} counts the exceptions (it does not re-order). Malformed payloads are
 * counted and logged, never handed over. Handlers run on the session's handler executor, one at a time.
 *
 * <pre>{@code
 * TelemetryStream stream = TelemetryStream.subscribe(session, "lab1", new Codec(), 4096,
 *         d -> store(d.device(), d.seq(), d.message()), (device, from, to) -> log.warn("{} lost {}..{}", device, from, to));
 * stream.ready().get(5, SECONDS);
 * }</pre>
 *
 * <p>For a consumer that must not miss what was published while it was away, build its session with
 * {@code persistentSession(expiry)}: the broker queues QoS 1 messages for it meanwhile.
 */
public final class TelemetryStream implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TelemetryStream.class);

    /**
     * One de-duplicated entry.
     *
     * @param device  {@code site/device}, the de-duplication key
     * @param message a {@link Telemetry} or an {@link Event}
     */
    public record Delivered(String device, DeviceTopic topic, long seq, Message message, Inbound inbound) {
    }

    private final Codec codec;
    private final Deduplicator dedup;
    private final Consumer<Delivered> handler;
    private final List<Subscription> subscriptions;
    private final java.util.Map<String, Long> lastHandedOver = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicLong fresh = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong outOfOrder = new AtomicLong();

    private TelemetryStream(MqttSession session, String site, Codec codec, int window, Consumer<Delivered> handler,
            GapListener gaps) {
        this.codec = Objects.requireNonNull(codec, "codec");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.dedup = Deduplicator.create(window, gaps);
        this.subscriptions = List.of(
                session.subscribe(Topics.filter(site, TopicKind.TELEMETRY), 1, this::accept),
                session.subscribe(Topics.filter(site, TopicKind.EVENT), 1, this::accept));
    }

    /**
     * Subscribes to the telemetry and events of {@code site} ({@code "+"} for every site).
     *
     * @param window sequence numbers per device within which any order and any number of copies are handled exactly
     */
    public static TelemetryStream subscribe(MqttSession session, String site, Codec codec, int window,
            Consumer<Delivered> handler, GapListener gaps) {
        return new TelemetryStream(session, site, codec, window, handler, gaps);
    }

    /** Completes when the broker granted both subscriptions. */
    public CompletableFuture<Void> ready() {
        return CompletableFuture.allOf(subscriptions.stream().map(Subscription::granted)
                .toArray(CompletableFuture[]::new));
    }

    /** Takes one received message (the subscriptions call it; public for consumers with their own subscriptions). */
    public void accept(Inbound in) {
        Optional<DeviceTopic> parsed = Topics.parse(in.topic());
        if (parsed.isEmpty()) {
            return;
        }
        DeviceTopic topic = parsed.get();
        Message message;
        try {
            message = codec.decode(topic, in.payload());
        } catch (MalformedMessageException e) {
            long n = malformed.incrementAndGet();
            if (n <= 20) {
                log.warn("malformed message on {}: {}", in.topic(), e.getMessage());
            }
            return;
        }
        long seq;
        if (message instanceof Telemetry t) {
            seq = t.seq();
        } else if (message instanceof Event e) {
            seq = e.seq();
        } else {
            return;
        }
        String device = topic.site() + "/" + topic.device();
        if (dedup.accept(device, seq) != Verdict.FRESH) {
            duplicates.incrementAndGet();
            return;
        }
        fresh.incrementAndGet();
        Long previous = lastHandedOver.put(device, seq);
        if (previous != null && seq < previous) {
            outOfOrder.incrementAndGet();
        }
        handler.accept(new Delivered(device, topic, seq, message, in));
    }

    /** Gives up on the holes inside {@code device}'s window now (reports them as gaps); see {@link Deduplicator#settle}. */
    public void settle(String device) {
        dedup.settle(device);
    }

    public Optional<SequenceStats> stats(String device) {
        return dedup.stats(device);
    }

    /** Entries handed over (each (device, seq) once). */
    public long fresh() {
        return fresh.get();
    }

    /** Copies dropped (QoS 1 re-sends, or older than the window). */
    public long duplicates() {
        return duplicates.get();
    }

    public long malformed() {
        return malformed.get();
    }

    /** Entries handed over with a lower seq than the device's previous one. */
    public long outOfOrder() {
        return outOfOrder.get();
    }

    /** Cancels the subscriptions; the session stays open. */
    @Override
    public void close() {
        subscriptions.forEach(Subscription::cancel);
    }
}
