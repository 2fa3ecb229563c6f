package dev.edgekit.ubiquitous.registry;

import dev.edgekit.protocol.clock.HlcTimestamp;
import dev.edgekit.protocol.clock.Stamp;
import dev.edgekit.protocol.delivery.Deduplicator;
import dev.edgekit.protocol.delivery.SequenceStats;
import dev.edgekit.protocol.delivery.Verdict;
import dev.edgekit.protocol.message.Birth;
import dev.edgekit.protocol.message.Codec;
import dev.edgekit.protocol.message.Event;
import dev.edgekit.protocol.message.Heartbeat;
import dev.edgekit.protocol.message.MalformedMessageException;
import dev.edgekit.protocol.message.Message;
import dev.edgekit.protocol.message.Offline;
import dev.edgekit.protocol.message.Telemetry;
import dev.edgekit.protocol.mqtt.Inbound;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.protocol.mqtt.Subscription;
import dev.edgekit.protocol.topic.DeviceTopic;
import dev.edgekit.protocol.topic.TopicKind;
import dev.edgekit.protocol.topic.Topics;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A live, thread-safe view of the devices on a broker, built from retained state, heartbeats and telemetry. Lookup by
 * id, by human-readable name and by attribute query; listeners hear of every change. Bad input (malformed payloads, foreign ids, stale
 * Wills) is counted and logged and never changes the view.
 *
 * <p>One unverified message never silences a device this registry is hearing from: while the current session
 * heartbeats (its last heartbeat younger than three of its own intervals, at most {@link #LIVE_SESSION}), a birth or Will of a newer session that nothing else confirms is held
 * back and counted as unverified, instead of making the live session's heartbeats look stale. A held birth takes over
 * as soon as a heartbeat of its session arrives, which is what a real reconnect produces within one interval. An
 * offline state (a Will) is shown at once, since nothing can tell a real one from a forged one, but a heartbeat of the
 * current session arriving after it proves it false: the device is online again and the offline counted as
 * contradicted. A cleared state (forgetting the device) is ignored while its session heartbeats.
 */
public final class Registry {
    private static final Logger log = LoggerFactory.getLogger(Registry.class);
    private static final int LOUD_LOG_LIMIT = 20;
    /** Per device: re-sends older than this many sequence numbers are dropped as late (1 KiB per device). */
    static final int DEDUP_WINDOW = 4096;

    private final InstantSource clock;
    private final Codec codec;
    private final Map<Key, DeviceView> devices = new ConcurrentHashMap<>();
    private final List<Consumer<DeviceView>> listeners = new CopyOnWriteArrayList<>();
    private final List<Subscription> subscriptions = new ArrayList<>();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong badTopics = new AtomicLong();
    private final AtomicLong staleStates = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong missing = new AtomicLong();
    private final AtomicLong unverified = new AtomicLong();
    /** Births of a newer session held back while the current one is live, by device; one per device at most. */
    private final Map<Key, Birth> heldBirths = new ConcurrentHashMap<>();
    /** The longest a session counts as live after its last heartbeat, whatever its interval. */
    static final Duration LIVE_SESSION = Duration.ofSeconds(30);
    /** Each device's last heartbeat interval as seen here, which decides how long its session counts as live. */
    private final Map<Key, Duration> heartbeatIntervals = new ConcurrentHashMap<>();
    private final AtomicLong implausible = new AtomicLong();
    private final AtomicLong contradicted = new AtomicLong();
    /**
     * Offline states of the current session shown since its last heartbeat: a Will cannot be told from a forged one,
     * so it is shown at once, and a heartbeat of that same session arriving after it proves it false.
     */
    private final Map<Key, ShownOffline> offlineSinceHeartbeat = new ConcurrentHashMap<>();

    /** {@code count} offline states of session {@code birthSeq} shown since its last heartbeat. */
    private record ShownOffline(long birthSeq, long count) {
        ShownOffline plus(ShownOffline more) {
            return birthSeq == more.birthSeq ? new ShownOffline(birthSeq, count + more.count) : more;
        }
    }
    /**
     * How far a birth or heartbeat may move a known device's session counter at once, whatever the clock says. A
     * device starts one session per connect; a thousand reconnects between two births a registry sees is already
     * far-fetched.
     */
    public static final long MAX_BIRTH_JUMP = 1_000;
    /**
     * Beyond {@link #MAX_BIRTH_JUMP}, a session number is still plausible up to this far ahead of this registry's
     * clock, read as epoch milliseconds: edgekit's agents start each run's numbers at their clock's epoch
     * milliseconds (above any number used before), so a restart minutes or months later jumps by that much. A number
     * beyond (one spoofed birth 10^9 ahead) is refused and counted instead of making every later heartbeat of the real
     * session look stale; the margin covers clocks that are not yet synchronised.
     */
    public static final Duration MAX_BIRTH_AHEAD = Duration.ofMinutes(5);
    /** Exactly-once by (device, seq) over QoS 1 (ARCHITECTURE.md, "No data lost"); keyed {@code site/device}. */
    private final Deduplicator dedup = Deduplicator.create(DEDUP_WINDOW, (device, from, to) -> {
        missing.addAndGet(to - from + 1);
        log.warn("{}: sequence numbers {}..{} never arrived ({} lost)", device, from, to, to - from + 1);
    });

    private record Key(String site, String id) {
    }

    public Registry(InstantSource clock, Codec codec) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    /** Subscribes to every device topic of {@code site} ({@code "+"} for all sites) on the session. */
    public Registry attach(MqttSession session, String site) {
        subscriptions.add(session.subscribe(Topics.filter(site, TopicKind.STATE), 1, this::accept));
        subscriptions.add(session.subscribe(Topics.filter(site, TopicKind.HEARTBEAT), 0, this::accept));
        subscriptions.add(session.subscribe(Topics.filter(site, TopicKind.TELEMETRY), 1, this::accept));
        subscriptions.add(session.subscribe(Topics.filter(site, TopicKind.EVENT), 1, this::accept));
        return this;
    }

    /** Completes when the broker granted every subscription. */
    public java.util.concurrent.CompletableFuture<Void> ready() {
        return java.util.concurrent.CompletableFuture.allOf(subscriptions.stream().map(Subscription::granted)
                .toArray(java.util.concurrent.CompletableFuture[]::new));
    }

    public void addListener(Consumer<DeviceView> listener) {
        listeners.add(listener);
    }

    /** Takes one received message; safe to call from several threads. */
    public void accept(Inbound in) {
        Optional<DeviceTopic> parsed = Topics.parse(in.topic());
        if (parsed.isEmpty()) {
            if (!in.topic().contains("/$")) { // $time and $election are not device topics
                count(badTopics, "topic outside the scheme: {}", in.topic());
            }
            return;
        }
        DeviceTopic topic = parsed.get();
        if (in.payload().length == 0) {
            if (in.retained() || topic.kind() == dev.edgekit.protocol.topic.TopicKind.STATE) {
                forget(new Key(topic.site(), topic.device()));
            }
            return;
        }
        Message message;
        try {
            message = codec.decode(topic, in.payload());
        } catch (MalformedMessageException e) {
            count(malformed, "malformed message on {}: {}", in.topic(), e.getMessage());
            return;
        }
        Key key = new Key(topic.site(), topic.device());
        long seq = switch (message) {
            case Telemetry t -> t.seq();
            case Event e -> e.seq();
            default -> -1;
        };
        if (seq >= 0 && dedup.accept(key.site() + "/" + key.id(), seq) != Verdict.FRESH) {
            duplicates.incrementAndGet();
            devices.computeIfPresent(key, (k, old) -> withDelivery(k, old));
            return;
        }
        Instant now = clock.instant();
        HlcTimestamp hlc = in.stamp().map(Stamp::hlc).orElse(null);
        DeviceView updated = devices.compute(key, (k, old) -> withDelivery(k, apply(k, old, message, now, hlc)));
        if (updated != null) {
            accepted.incrementAndGet();
            for (Consumer<DeviceView> listener : listeners) {
                try {
                    listener.accept(updated);
                } catch (RuntimeException e) {
                    log.error("registry listener failed", e);
                }
            }
        }
    }

    /**
     * A cleared retained state (an operator's {@code devices --forget}) forgets the device, unless its session is
     * heartbeating: then the clear is someone else's, and one message must not silence a device we hear from.
     */
    private void forget(Key key) {
        DeviceView view = devices.get(key);
        if (view != null && view.birth() != null && heartbeating(key, view, view.birth().birthSeq(), clock.instant())) {
            unverified.incrementAndGet();
            log.debug("ignoring a cleared state of {}: its session is live", key);
            return;
        }
        devices.remove(key);
        heldBirths.remove(key);
        heartbeatIntervals.remove(key);
        offlineSinceHeartbeat.remove(key);
    }

    /** The view with the device's current duplicate and gap counts. */
    private DeviceView withDelivery(Key key, DeviceView v) {
        Optional<SequenceStats> s = dedup.stats(key.site() + "/" + key.id());
        long dups = s.map(SequenceStats::duplicates).orElse(0L) + s.map(SequenceStats::late).orElse(0L);
        long gaps = s.map(SequenceStats::missing).orElse(0L);
        return v == null || (v.duplicates() == dups && v.missing() == gaps) ? v
                : new DeviceView(v.site(), v.id(), v.status(), v.birth(), v.lastSeenAt(), v.lastHeartbeat(),
                        v.lastHeartbeatAt(), v.latest(), v.telemetryCount(), v.eventCount(), v.lastHlc(), dups, gaps);
    }

    private DeviceView apply(Key key, DeviceView old, Message message, Instant now, HlcTimestamp hlc) {
        DeviceView base = old != null ? old : new DeviceView(key.site(), key.id(), DeviceView.Status.UNKNOWN, null,
                now, null, null, Map.of(), 0, 0, null, 0, 0);
        HlcTimestamp newestHlc = hlc == null || (base.lastHlc() != null && base.lastHlc().isAfter(hlc)) ? base.lastHlc()
                : hlc;
        long currentSeq = base.birth() != null ? base.birth().birthSeq() : -1;
        return switch (message) {
            case Birth birth -> {
                if (implausible(birth.birthSeq(), currentSeq, now)) {
                    implausible.incrementAndGet();
                    log.debug("ignoring birth {} of {}: more than {} past session {}", birth.birthSeq(), key,
                            MAX_BIRTH_JUMP, currentSeq);
                    yield base;
                }
                if (birth.birthSeq() < currentSeq) {
                    staleStates.incrementAndGet();
                    log.debug("ignoring birth {} of {}: session {} is newer", birth.birthSeq(), key, currentSeq);
                    yield base;
                }
                if (birth.birthSeq() > currentSeq && heartbeating(key, base, currentSeq, now)) {
                    unverified.incrementAndGet();
                    heldBirths.put(key, birth);
                    log.debug("holding birth {} of {}: session {} is live", birth.birthSeq(), key, currentSeq);
                    yield base;
                }
                heldBirths.remove(key);
                yield new DeviceView(key.site(), key.id(), DeviceView.Status.ONLINE, birth, now, base.lastHeartbeat(),
                        base.lastHeartbeatAt(), base.latest(), base.telemetryCount(), base.eventCount(), newestHlc,
                        base.duplicates(), base.missing());
            }
            case Offline offline -> {
                if (offline.birthSeq() < currentSeq) {
                    staleStates.incrementAndGet();
                    log.info("ignoring stale {} of {} from session {}: session {} is current", offline.status(), key,
                            offline.birthSeq(), currentSeq);
                    yield base;
                }
                if (offline.birthSeq() > currentSeq && heartbeating(key, base, currentSeq, now)
                        && !heldBirthOf(key, offline.birthSeq())) {
                    unverified.incrementAndGet();
                    log.debug("ignoring {} of {} for unknown session {}: session {} is live", offline.status(), key,
                            offline.birthSeq(), currentSeq);
                    yield base;
                }
                if (currentSeq >= 0) {
                    offlineSinceHeartbeat.merge(key, new ShownOffline(offline.birthSeq(), 1), ShownOffline::plus);
                }
                yield new DeviceView(key.site(), key.id(), DeviceView.Status.OFFLINE, base.birth(), now,
                        base.lastHeartbeat(), base.lastHeartbeatAt(), base.latest(), base.telemetryCount(),
                        base.eventCount(), newestHlc,
                        base.duplicates(), base.missing());
            }
            case Heartbeat heartbeat -> {
                // a heartbeat of an older session (late, or through another broker) moves nothing
                if (implausible(heartbeat.birthSeq(), currentSeq, now)) {
                    implausible.incrementAndGet();
                    yield base;
                }
                if (heartbeat.birthSeq() < currentSeq) {
                    staleStates.incrementAndGet();
                    log.debug("ignoring heartbeat of {} from session {}: session {} is current", key,
                            heartbeat.birthSeq(), currentSeq);
                    yield base;
                }
                if (base.lastHeartbeatAt() != null && now.isAfter(base.lastHeartbeatAt())) {
                    heartbeatIntervals.put(key, Duration.between(base.lastHeartbeatAt(), now));
                }
                ShownOffline shown = offlineSinceHeartbeat.get(key);
                boolean proved = shown != null && heartbeat.birthSeq() == currentSeq
                        && (shown.birthSeq() == currentSeq || heldBirthOf(key, shown.birthSeq()));
                if (proved) { // the session said to be gone is still heartbeating: the offline state was not its Will
                    offlineSinceHeartbeat.remove(key);
                    contradicted.addAndGet(shown.count());
                    log.debug("{}: offline state contradicted by a heartbeat of session {}", key, currentSeq);
                }
                if (proved && base.status() == DeviceView.Status.OFFLINE) {
                    yield new DeviceView(key.site(), key.id(), DeviceView.Status.ONLINE, base.birth(), now, heartbeat,
                            now, base.latest(), base.telemetryCount(), base.eventCount(), newestHlc,
                            base.duplicates(), base.missing());
                }
                Birth held = heldBirths.get(key);
                if (held != null && heartbeat.birthSeq() == held.birthSeq()) { // the held birth is confirmed
                    heldBirths.remove(key);
                    yield new DeviceView(key.site(), key.id(), DeviceView.Status.ONLINE, held, now, heartbeat, now,
                            base.latest(), base.telemetryCount(), base.eventCount(), newestHlc, base.duplicates(),
                            base.missing());
                }
                yield new DeviceView(key.site(), key.id(), base.status(), base.birth(), now, heartbeat,
                        now, base.latest(), base.telemetryCount(), base.eventCount(), newestHlc,
                        base.duplicates(), base.missing());
            }
            case Telemetry telemetry -> {
                Map<String, Telemetry> latest = new HashMap<>(base.latest());
                latest.merge(telemetry.channel(), telemetry, (a, b) -> b.seq() >= a.seq() ? b : a);
                yield new DeviceView(key.site(), key.id(), base.status(), base.birth(), now, base.lastHeartbeat(),
                        base.lastHeartbeatAt(), latest, base.telemetryCount() + 1, base.eventCount(), newestHlc,
                        base.duplicates(), base.missing());
            }
            case Event event -> new DeviceView(key.site(), key.id(), base.status(), base.birth(), now,
                    base.lastHeartbeat(), base.lastHeartbeatAt(), base.latest(), base.telemetryCount(),
                    base.eventCount() + 1, newestHlc,
                        base.duplicates(), base.missing());
        };
    }

    /**
     * Whether {@code view}'s current session is heartbeating: its last heartbeat is of that session and younger than
     * three of its intervals (one interval assumed to be a second until two heartbeats have been seen). Whatever the
     * view's status: a forged offline state must not open the door to a forged birth.
     */
    private boolean heartbeating(Key key, DeviceView view, long currentSeq, Instant now) {
        if (view.lastHeartbeat() == null || view.lastHeartbeat().birthSeq() != currentSeq
                || view.lastHeartbeatAt() == null) {
            return false;
        }
        Duration window = heartbeatIntervals.getOrDefault(key, Duration.ofSeconds(1)).multipliedBy(3);
        window = window.compareTo(LIVE_SESSION) > 0 ? LIVE_SESSION : window;
        return Duration.between(view.lastHeartbeatAt(), now).compareTo(window) < 0;
    }

    /** A session number too far past the current one: beyond {@link #MAX_BIRTH_JUMP} and this clock's present. */
    static boolean implausible(long birthSeq, long currentSeq, Instant now) {
        return currentSeq >= 0 && birthSeq - currentSeq > MAX_BIRTH_JUMP
                && birthSeq > now.toEpochMilli() + MAX_BIRTH_AHEAD.toMillis();
    }

    private boolean heldBirthOf(Key key, long birthSeq) {
        Birth held = heldBirths.get(key);
        return held != null && held.birthSeq() == birthSeq;
    }

    private void count(AtomicLong counter, String format, Object... args) {
        long n = counter.incrementAndGet();
        if (n <= LOUD_LOG_LIMIT) {
            log.warn(format, args);
        } else {
            log.debug(format, args);
        }
    }

    public Optional<DeviceView> byId(String site, String id) {
        return Optional.ofNullable(devices.get(new Key(site, id)));
    }

    /** Devices whose human-readable name is {@code name} (names need not be unique). */
    public List<DeviceView> byName(String name) {
        return devices().stream().filter(d -> d.name().equals(name)).toList();
    }

    /** Every known device, ordered by site and id. */
    public List<DeviceView> devices() {
        return devices.values().stream().sorted(Comparator.comparing(DeviceView::site).thenComparing(DeviceView::id))
                .toList();
    }

    // attribute queries
    /** Devices matching an attribute query (e.g. {@code capability=temperature site=lab1}), ordered by site and id. */
    public List<DeviceView> query(DeviceQuery query) {
        return devices().stream().filter(query::matches).toList();
    }

    public RegistryStats stats() {
        return new RegistryStats(accepted.get(), malformed.get(), badTopics.get(), staleStates.get(),
                duplicates.get(), missing.get(), implausible.get(), unverified.get(), contradicted.get());
    }
}
