package dev.edgekit.ubiquitous.detect;

import dev.edgekit.protocol.message.Heartbeat;
import dev.edgekit.ubiquitous.registry.DeviceView;
import dev.edgekit.ubiquitous.registry.Registry;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failure detection for a registry consumer (ARCHITECTURE.md, Presence and liveness): one {@link FailureDetector} per
 * device, fed only with what the {@link Registry} accepted (so malformed, foreign or stale input never moves a
 * detector), combined with the registry's view into {@link Liveness}: online → suspect → lost → online again, and
 * offline through the Will.
 *
 * <p>Message-driven transitions (a heartbeat brings a suspect device back, a Will takes it offline) are reported as
 * the message is accepted; time-driven ones (suspect, lost) by {@link #check(Instant)}, a pure function of
 * {@code now} — call it from a timer ({@link #schedule}) or from a test with a fake clock.
 *
 * <p>{@code lost} is this consumer's inference and is never published: another consumer may still hear the device,
 * the retained {@code state} belongs to the device and its broker (a consumer writing it would erase the birth
 * certificate and race with the next birth), and the broker's ACLs give consumers no write access there.
 *
 * <p>Thread-safe.
 */
public final class LivenessMonitor {
    private static final Logger log = LoggerFactory.getLogger(LivenessMonitor.class);

    private final Registry registry;
    private final DetectorConfig config;
    private final Object lock = new Object();
    private final Map<Key, Tracked> tracked = new HashMap<>();
    private final List<Consumer<Transition>> listeners = new CopyOnWriteArrayList<>();

    private record Key(String site, String id) {
    }

    private static final class Tracked {
        final FailureDetector detector;
        long birthSeq = -1;
        Heartbeat lastHeartbeat;
        DeviceView view;
        Liveness state;

        Tracked(FailureDetector detector) {
            this.detector = detector;
        }
    }

    private LivenessMonitor(Registry registry, DetectorConfig config) {
        this.registry = registry;
        this.config = config;
    }

    /** Watches {@code registry}: every accepted change feeds the device's detector. */
    public static LivenessMonitor attach(Registry registry, DetectorConfig config) {
        LivenessMonitor monitor = new LivenessMonitor(Objects.requireNonNull(registry, "registry"),
                Objects.requireNonNull(config, "config"));
        registry.addListener(monitor::observe);
        return monitor;
    }

    public DetectorConfig config() {
        return config;
    }

    public void addListener(Consumer<Transition> listener) {
        listeners.add(listener);
    }

    /** Runs {@link #check(Instant)} every {@code period} on {@code scheduler}; cancel the returned future to stop. */
    public ScheduledFuture<?> schedule(ScheduledExecutorService scheduler, InstantSource clock, Duration period) {
        return scheduler.scheduleAtFixedRate(() -> {
            try {
                check(clock.instant());
            } catch (RuntimeException e) {
                log.error("liveness check failed", e);
            }
        }, period.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
    }

    void observe(DeviceView view) {
        Instant now = view.lastSeenAt();
        List<Transition> fired = new ArrayList<>(1);
        synchronized (lock) {
            Tracked t = tracked.computeIfAbsent(new Key(view.site(), view.id()), k -> new Tracked(config.newDetector()));
            String reason = null;
            if (view.birth() != null && view.birth().birthSeq() != t.birthSeq) {
                t.birthSeq = view.birth().birthSeq();
                t.detector.restart(now);
                reason = "birth";
            }
            if (view.lastHeartbeat() != null && view.lastHeartbeat() != t.lastHeartbeat) {
                t.lastHeartbeat = view.lastHeartbeat();
                t.detector.heartbeat(view.lastHeartbeatAt());
                reason = "heartbeat";
            }
            if (view.status() == DeviceView.Status.OFFLINE) {
                reason = "offline";
            }
            t.view = view;
            Liveness next = evaluate(t, now);
            if (t.state != next) {
                if (t.state != null || next != Liveness.UNKNOWN) {
                    fired.add(new Transition(view.site(), view.id(), t.state == null ? Liveness.UNKNOWN : t.state,
                            next, now, t.detector.suspicion(now), reason == null ? "message" : reason));
                }
                t.state = next;
            }
        }
        fire(fired);
    }

    private Liveness evaluate(Tracked t, Instant now) {
        DeviceView view = t.view;
        if (view.status() == DeviceView.Status.OFFLINE) {
            return Liveness.OFFLINE;
        }
        Duration silence = t.detector.silence(now);
        if (silence != null && silence.compareTo(config.lostAfter()) >= 0) {
            return Liveness.LOST;
        }
        if (t.detector.suspects(now)) {
            return Liveness.SUSPECT;
        }
        return view.status() == DeviceView.Status.ONLINE ? Liveness.ONLINE : Liveness.UNKNOWN;
    }

    /**
     * Re-judges every device at {@code now} and reports (and returns) the transitions: the time-driven half of failure
     * detection. Devices the registry forgot (retained state cleared) are dropped.
     */
    public List<Transition> check(Instant now) {
        List<Transition> fired = new ArrayList<>();
        synchronized (lock) {
            var it = tracked.entrySet().iterator();
            while (it.hasNext()) {
                var entry = it.next();
                Tracked t = entry.getValue();
                if (registry.byId(entry.getKey().site(), entry.getKey().id()).isEmpty()) {
                    it.remove();
                    continue;
                }
                Liveness next = evaluate(t, now);
                if (next != t.state) {
                    String reason = next == Liveness.LOST ? "silence"
                            : config.kind() == DetectorConfig.Kind.PHI_ACCRUAL ? "phi" : "timeout";
                    fired.add(new Transition(entry.getKey().site(), entry.getKey().id(),
                            t.state == null ? Liveness.UNKNOWN : t.state, next, now, t.detector.suspicion(now),
                            reason));
                    t.state = next;
                }
            }
        }
        fire(fired);
        return fired;
    }

    private void fire(List<Transition> fired) {
        for (Transition transition : fired) {
            if (transition.to() == Liveness.SUSPECT || transition.to() == Liveness.LOST) {
                log.info("{}", transition);
            } else {
                log.debug("{}", transition);
            }
            for (Consumer<Transition> listener : listeners) {
                try {
                    listener.accept(transition);
                } catch (RuntimeException e) {
                    log.error("liveness listener failed", e);
                }
            }
        }
    }

    /** The device as judged at {@code now} (without firing transitions), or empty if the registry does not know it. */
    public Optional<Assessment> assess(String site, String id, Instant now) {
        synchronized (lock) {
            Tracked t = tracked.get(new Key(site, id));
            return t == null ? Optional.empty() : Optional.of(assessment(site, id, t, now));
        }
    }

    /** Every device, ordered by site and id. */
    public List<Assessment> assessAll(Instant now) {
        synchronized (lock) {
            List<Assessment> all = new ArrayList<>(tracked.size());
            tracked.forEach((k, t) -> all.add(assessment(k.site(), k.id(), t, now)));
            all.sort(Comparator.comparing(Assessment::site).thenComparing(Assessment::id));
            return all;
        }
    }

    private Assessment assessment(String site, String id, Tracked t, Instant now) {
        return new Assessment(site, id, evaluate(t, now), t.detector.suspicion(now), t.detector.lastArrival(),
                t.detector.meanInterval(), t.detector.heartbeats());
    }

    /** The state of one device at {@code now}; {@link Liveness#UNKNOWN} when the registry does not know it. */
    public Liveness liveness(String site, String id, Instant now) {
        return assess(site, id, now).map(Assessment::state).orElse(Liveness.UNKNOWN);
    }
}
