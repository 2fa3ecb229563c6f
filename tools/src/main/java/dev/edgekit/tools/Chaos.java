package dev.edgekit.tools;

import dev.edgekit.testkit.FaultProxy;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code simulate --chaos}: a seeded monkey that, every interval, crashes and restarts an agent (no offline state, no
 * DISCONNECT: the broker sends its Will; the new agent restores from the same state folder), partitions one from the
 * broker for 5–25 s through a {@link FaultProxy}, or restarts the broker (when simulate started it); and steps some
 * device clocks by up to ±3 s at planned moments. Only the <em>victims</em> (a seeded choice, by default a tenth of
 * the fleet, at least one, at most 50) are touched, so every other device is a witness that must never be shown
 * offline.
 */
final class Chaos implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Chaos.class);

    /** What happened, for the run's log and the end-of-run check. */
    record Event(Instant at, Kind kind, String device, String detail) {
    }

    enum Kind {
        CRASH, RESTART, PARTITION, HEAL, CLOCK_STEP, BROKER_RESTART
    }

    /** A planned step of a device clock. */
    record Step(Instant at, Duration step) {
    }

    /** Restarts the broker the fleet uses; only simulate's own broker can be. */
    interface BrokerRestart {
        void restart() throws Exception;
    }

    private final Duration every;
    private final SplittableRandom random;
    private final InstantSource clock;
    private final Set<String> victims;
    private final BrokerRestart brokerRestart; // null: the broker is not ours
    private final Map<String, FaultProxy> proxies = new ConcurrentHashMap<>();
    private final Map<String, Step> steps = new ConcurrentHashMap<>();
    private final Set<String> troubled = ConcurrentHashMap.newKeySet();
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService monkey = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("chaos-monkey").daemon(true).factory());
    private volatile Consumer<Event> onEvent = e -> { };
    private volatile Instant lastBrokerRestart = Instant.EPOCH;

    /**
     * @param devices       the fleet's device ids (this shard's)
     * @param victims       how many of them chaos may strike (the others are witnesses)
     * @param brokerRestart how to restart the broker, or null when it is not simulate's own
     */
    Chaos(List<String> devices, int victims, long seed, Duration every, InstantSource clock,
            BrokerRestart brokerRestart) {
        if (every.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("--chaos-every: " + every + " is shorter than 1s");
        }
        this.every = every;
        this.random = new SplittableRandom(seed ^ 0xC4A05L);
        this.clock = clock;
        this.brokerRestart = brokerRestart;
        List<String> shuffled = new ArrayList<>(devices);
        Collections.shuffle(shuffled, new java.util.Random(random.nextLong()));
        if (victims < 1 || victims > devices.size()) {
            throw new IllegalArgumentException("victims: " + victims + " is not in 1.." + devices.size());
        }
        int count = victims;
        this.victims = Set.copyOf(shuffled.subList(0, count));
        Instant start = clock.instant();
        for (String victim : this.victims) { // half of them get one clock step, somewhere in the first minutes
            if (random.nextBoolean()) {
                long millis = (random.nextBoolean() ? 1 : -1) * (500 + random.nextLong(2_500));
                Instant at = start.plus(every.multipliedBy(2 + random.nextInt(10)));
                steps.put(victim, new Step(at, Duration.ofMillis(millis)));
            }
        }
    }

    /** The default number of victims in a fleet of {@code devices}: a tenth, at least one, at most 50. */
    static int defaultVictims(int devices) {
        return Math.max(1, Math.min(50, devices / 10));
    }

    Set<String> victims() {
        return victims;
    }

    /** The broker URL for device {@code id}: a victim's goes through a proxy of its own. */
    String brokerFor(String id, String broker) {
        if (!victims.contains(id)) {
            return broker;
        }
        URI uri = URI.create(broker);
        FaultProxy proxy = proxies.computeIfAbsent(id, k -> FaultProxy.start(uri.getHost(), uri.getPort()));
        return "tcp://127.0.0.1:" + proxy.port();
    }

    Optional<Step> clockStep(String id) {
        return Optional.ofNullable(steps.get(id));
    }

    /** Starts the monkey on {@code fleet}; {@code onEvent} hears of each event as it happens. */
    void start(Simulator fleet, Consumer<Event> onEvent) {
        this.onEvent = onEvent;
        steps.forEach((id, step) -> monkey.schedule(() -> record(Kind.CLOCK_STEP, id, "device clock stepped by "
                + step.step().toMillis() + " ms"), Math.max(0, Duration.between(clock.instant(), step.at()).toMillis()),
                TimeUnit.MILLISECONDS));
        monkey.scheduleWithFixedDelay(() -> strike(fleet), every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void strike(Simulator fleet) {
        try {
            List<String> calm = victims.stream().filter(v -> !troubled.contains(v)).sorted().toList();
            int pick = random.nextInt(10);
            boolean brokerDue = brokerRestart != null && troubled.isEmpty()
                    && Duration.between(lastBrokerRestart, clock.instant()).compareTo(every.multipliedBy(6)) > 0;
            if (pick < 2 && brokerDue) {
                restartBroker();
            } else if (!calm.isEmpty()) {
                String victim = calm.get(random.nextInt(calm.size()));
                if (pick < 6) {
                    crash(fleet, victim);
                } else {
                    partition(victim);
                }
            }
        } catch (RuntimeException e) {
            log.warn("chaos: a strike failed; carrying on", e);
        }
    }

    private void crash(Simulator fleet, String victim) {
        troubled.add(victim);
        fleet.crash(victim);
        record(Kind.CRASH, victim, "agent crashed: no offline state, no DISCONNECT");
        long downMillis = 1_000 + random.nextLong(4_000);
        monkey.schedule(() -> fleet.restart(victim).whenComplete((ok, failed) -> {
            troubled.remove(victim);
            record(Kind.RESTART, victim, failed == null ? "restarted from its state folder after " + downMillis
                    + " ms" : "restart failed: " + failed.getMessage());
        }), downMillis, TimeUnit.MILLISECONDS);
    }

    private void partition(String victim) {
        troubled.add(victim);
        FaultProxy proxy = proxies.get(victim);
        long seconds = 5 + random.nextInt(21);
        proxy.cut();
        record(Kind.PARTITION, victim, "cut from the broker for " + seconds + " s");
        monkey.schedule(() -> {
            proxy.restore();
            troubled.remove(victim);
            record(Kind.HEAL, victim, "reachable again");
        }, seconds, TimeUnit.SECONDS);
    }

    /** Restarts the broker now (also between the monkey's strikes). */
    synchronized void restartBroker() {
        lastBrokerRestart = clock.instant();
        try {
            brokerRestart.restart();
            record(Kind.BROKER_RESTART, null, "broker restarted");
        } catch (Exception e) {
            record(Kind.BROKER_RESTART, null, "broker restart failed: " + e.getMessage());
        }
    }

    private void record(Kind kind, String device, String detail) {
        Event event = new Event(clock.instant(), kind, device, detail);
        events.add(event);
        onEvent.accept(event);
    }

    List<Event> events() {
        return List.copyOf(events);
    }

    /** When the broker was restarted. */
    List<Instant> brokerRestarts() {
        return events.stream().filter(e -> e.kind() == Kind.BROKER_RESTART).map(Event::at).toList();
    }

    /** Devices that were crashed or partitioned at least once. */
    Set<String> struck() {
        Set<String> all = new java.util.TreeSet<>();
        events.stream().filter(e -> e.kind() == Kind.CRASH || e.kind() == Kind.PARTITION)
                .forEach(e -> all.add(e.device()));
        return all;
    }

    /** Stops striking, heals every partition and waits for restarts in progress. */
    void calmDown() throws InterruptedException {
        monkey.shutdown();
        monkey.awaitTermination(30, TimeUnit.SECONDS);
        proxies.values().forEach(FaultProxy::restore);
    }

    @Override
    public void close() {
        monkey.shutdownNow();
        proxies.values().forEach(FaultProxy::close);
    }
}
