package dev.edgekit.tools;

import dev.edgekit.console.EdgekitCommand;

import dev.edgekit.agent.config.AgentConfig;
import dev.edgekit.agent.outbox.Durability;
import dev.edgekit.agent.outbox.SharedOutboxFile;
import dev.edgekit.agent.runtime.Agent;
import dev.edgekit.agent.runtime.AgentEnvironment;
import dev.edgekit.agent.runtime.AgentStatus;
import dev.edgekit.time.DeviceClock;
import dev.edgekit.time.DisciplinedClock;
import dev.edgekit.time.TimeServer;
import dev.edgekit.protocol.message.Codec;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.protocol.mqtt.PahoThreads;
import dev.edgekit.ubiquitous.registry.DeviceView;
import dev.edgekit.ubiquitous.registry.Registry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * N simulated agents in one JVM against one broker, each with its own MQTT session, simulated board and skewed,
 * drifting device clock; plus an observer that watches the fleet through the broker, as any consumer would.
 */
public final class Simulator implements AutoCloseable {
    /** What to simulate. */
    public record Plan(int devices, String broker, String site, long seed, Duration heartbeat, Duration sampling,
            Duration maxOffset, double maxDriftPpm, double faults, Duration faultWindow, Duration minPoll,
            Shard shard) {
        /**
         * A whole fleet without hardware faults, with clocks at most 50 ms and 20 ppm off, sampling and heartbeating
         * every {@code interval}: the quiet background a test or benchmark disturbs on purpose.
         */
        public static Plan quiet(int devices, String broker, String site, long seed, Duration interval) {
            return new Plan(devices, broker, site, seed, interval, interval, Duration.ofMillis(50), 20, 0,
                    Duration.ofSeconds(60), Duration.ofMillis(250), Shard.WHOLE);
        }

        /** The devices this host runs. */
        int count() {
            return shard.to(devices) - shard.from(devices);
        }
    }

    /** The end-of-run figures. */
    record Summary(int devices, int online, long telemetrySent, long telemetryFailed, long telemetrySeen,
            long malformedSeen, long reconnects, int degraded, long eventsSeen, long faultsInjected, int synced,
            long backlog, long lagNanos, long worstLagNanos) {
    }

    private final Plan plan;
    private final InstantSource reference;
    private final ScheduledExecutorService scheduler;
    private final ScheduledExecutorService paho = PahoThreads.virtual();
    /** Live agents by device id (created in parallel, read by the status line meanwhile, replaced by chaos). */
    private final java.util.Map<String, Agent> agents = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<String, DeviceRecipe> recipes = new java.util.concurrent.ConcurrentHashMap<>();
    /** What agents that crashed or restarted sent and failed in their earlier lives. */
    private final java.util.concurrent.atomic.AtomicLong retiredSent = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong retiredFailed = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.Map<String, List<Incarnation>> incarnations =
            new java.util.concurrent.ConcurrentHashMap<>();
    private volatile Chaos chaos;
    private volatile AgentConfig.Interop interop = AgentConfig.Interop.NONE;
    private volatile dev.edgekit.console.shadow.ShadowKeeper keeper; // with shadow(), else null
    private volatile MqttSession keeperSession;
    /**
     * Each agent keeps its own outbox writer (same sequence and durability), but the writer is a virtual thread: a
     * thousand platform writer threads cost ~120 MB of stacks for threads that mostly wait.
     */
    private static final java.util.concurrent.ThreadFactory OUTBOX_WRITERS =
            Thread.ofVirtual().name("edgekit-outbox-writer-", 0).factory();
    /** Outbox files a fleet's devices are spread over. */
    private static final int OUTBOX_FILES = 4;
    /** SQLite's page cache for each of them. */
    private static final int SHARED_OUTBOX_CACHE_KIB = 2 * 1024;
    /** Agents created at once while starting. */
    private static final int STARTERS = 8;
    private final Registry registry;
    private final MqttSession observer;
    private final SimulatedHardware hardware;
    /** The site's default stratum-1 time server, serving the reference clock. */
    static final String TIME_SERVER = "sim-time";
    private final MqttSession timeSession;
    private final TimeServer timeServer;
    private final SimulationRun run;
    /**
     * The fleet's outboxes: a few SQLite files, each device a partition of one of them. A thousand files of their own
     * cost ~300 MB of native memory (~200 KB per SQLite connection, more once malloc arenas fragment) and ~2.8 s of
     * opening; one file for all serialises every commit of the fleet on one connection (SQLite has one writer per
     * file): 1,000 agents took 24–26 s to start instead of 14. So the devices are spread over {@link #OUTBOX_FILES}.
     * (Handing each file's work to a platform thread of its own, so SQLite's native calls would not pin the
     * virtual-thread carriers, cost a hand-off per transaction: the outboxes fell ~30,000 entries behind after the
     * start and took ~50 s to catch up, against ~15 s with the writers taking turns on the connection themselves.)
     */
    private final List<SharedOutboxFile> outboxes;

    private volatile SchedulerLag lag;

    /** Each shard serves its own devices' time, so no shard depends on another host. */
    private String timeServerId() {
        return TIME_SERVER + plan.shard().suffix();
    }

    /** A run of its own: fresh state folder, removed at {@link #close()}; client ids unique to the run. */
    public Simulator(Plan plan, InstantSource reference) {
        this(plan, reference, SimulationRun.create(false));
    }

    Simulator(Plan plan, InstantSource reference, SimulationRun run) {
        this.plan = plan;
        this.run = run;
        // many outboxes on one disk: fsync per commit would dominate; a simulation survives no power cut
        this.outboxes = java.util.stream.IntStream.range(0, OUTBOX_FILES).mapToObj(n -> SharedOutboxFile.open(
                run.outboxFile(n), Durability.NORMAL, SHARED_OUTBOX_CACHE_KIB, reference)).toList();
        this.reference = reference;
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(2, r -> {
            Thread t = new Thread(r, "simulated-boards");
            t.setDaemon(true);
            return t;
        });
        pool.setRemoveOnCancelPolicy(true);
        this.scheduler = pool;
        this.hardware = new SimulatedHardware(pool, plan.faults(), plan.faultWindow());
        this.registry = new Registry(reference, new Codec());
        this.observer = MqttSession.builder().server(plan.broker()).clientId(run.clientId("edgekit-simulate-observer" + plan.shard().suffix()))
                .pahoExecutor(paho).build();
        registry.attach(observer, plan.site());
        DisciplinedClock referenceClock = DisciplinedClock.reference(DeviceClock.of(reference), Duration.ZERO);
        this.timeSession = MqttSession.builder().server(plan.broker()).clientId(run.clientId("edgekit-simulate-time" + plan.shard().suffix()))
                .clock(referenceClock.device()).pahoExecutor(paho).build();
        this.timeServer = TimeServer.start(timeSession, plan.site(), timeServerId(), referenceClock);
    }

    /** Starts the observer and every agent; completes when all are connected. */
    public CompletableFuture<Void> start() {
        SplittableRandom seeds = new SplittableRandom(plan.seed());
        lag = new SchedulerLag(scheduler, System::nanoTime); // the samplers' scheduler: its lateness is theirs
        List<CompletableFuture<Void>> started = new ArrayList<>();
        java.util.concurrent.ExecutorService starters = java.util.concurrent.Executors.newFixedThreadPool(STARTERS,
                Thread.ofPlatform().name("simulate-start-", 0).daemon(true).factory());
        started.add(observer.connect().thenCompose(x -> registry.ready()));
        started.add(timeSession.connect());
        if (keeper != null) {
            started.add(keeperSession.connect().thenCompose(x -> keeper.start()));
        }
        for (int i = 0; i < plan.shard().to(plan.devices()); i++) {
            SplittableRandom random = seeds.split(); // split for every device, so a device's clock is the same in any shard
            if (i < plan.shard().from(plan.devices())) {
                continue;
            }
            DeviceRecipe recipe = recipe(i, random);
            recipes.put(recipe.id(), recipe);
            // creating an agent opens its outbox and waits for its first commit: done one at a time, that was most of
            // a large fleet's start; a few at a time in parallel (the seeds above stay in device order)
            started.add(CompletableFuture.supplyAsync(() -> launch(recipe), starters).thenCompose(Agent::start));
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(started.toArray(CompletableFuture[]::new));
        all.whenComplete((ok, failed) -> starters.shutdown());
        return all;
    }

    /**
     * How to create device {@code i}'s agent, and create it again after a simulated crash: the same configuration,
     * state folder, clock and client id every time.
     */
    record DeviceRecipe(String id, AgentConfig config, AgentEnvironment env, InstantSource deviceClock,
            long boardSeed) {
    }

    private DeviceRecipe recipe(int i, SplittableRandom random) {
        long offsetNanos = (long) ((random.nextDouble() * 2 - 1) * plan.maxOffset().toNanos());
        double driftPpm = (random.nextDouble() * 2 - 1) * plan.maxDriftPpm();
        String id = String.format(Locale.ROOT, "sim-%04d", i + 1);
        DeviceClock.Simulated clock = DeviceClock.simulated(reference).offset(Duration.ofNanos(offsetNanos))
                .driftPpm(driftPpm).driftOrigin(reference.instant()).jitter(Duration.ofNanos(500), random.split());
        String broker = plan.broker();
        if (chaos != null) { // chaos victims reach the broker through a proxy it can cut, and some have a clock step
            broker = chaos.brokerFor(id, broker);
            chaos.clockStep(id).ifPresent(step -> clock.stepAt(step.at(), step.step()));
        }
        InstantSource deviceClock = clock.build();
        AgentConfig config = new AgentConfig(plan.site(), id, "Simulated board " + (i + 1),
                new AgentConfig.BrokerConfig(List.of(broker), Duration.ofSeconds(10), Duration.ZERO, null, null),
                plan.heartbeat(), AgentConfig.BoardKind.SIMULATED,
                SimulatedHardware.config(plan.sampling(), SimulatedHardware.probeId(i + 1)),
                run.stateDir(id),
                FleetSizing.timeConfig(AgentConfig.TimeConfig.ntp(List.of(timeServerId())), plan.minPoll()))
                .withOutbox(new AgentConfig.OutboxSettings(100_000, 16L * 1024 * 1024, Durability.NORMAL,
                        AgentConfig.OutboxSettings.MIN_CACHE_BYTES)) // the shared file's cache is the one that counts
                .withInterop(interop)
                .withShadow(new AgentConfig.ShadowSettings(keeper != null));
        AgentEnvironment env = AgentEnvironment.of(deviceClock, scheduler, random, EdgekitCommand.version())
                .withPahoExecutor(paho).withClientId(run.clientId(id)).withOutboxWriters(OUTBOX_WRITERS)
                .withSharedOutbox(outboxes.get(Math.floorMod(id.hashCode(), outboxes.size())))
                .withRestarts(new Restart(id));
        return new DeviceRecipe(id, config, env, deviceClock, random.nextLong());
    }

    /** Creates (or re-creates) an agent from its recipe: a fresh board, the same state folder. */
    private Agent launch(DeviceRecipe recipe) {
        var board = hardware.open(recipe.id(), recipe.config().hardware(), recipe.deviceClock(),
                new SplittableRandom(recipe.boardSeed()));
        Agent agent = Agent.create(recipe.config(), recipe.env(), board);
        incarnations.computeIfAbsent(recipe.id(), k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                .add(new Incarnation(agent.status().outbox().nextSeq()));
        agents.put(recipe.id(), agent);
        return agent;
    }

    /**
     * One life of a device's agent: the first sequence number it had to give; its last is known when it ends (or at
     * the end of the run). What the fleet published is the union of these ranges.
     */
    static final class Incarnation {
        final long firstSeq;
        volatile long endSeq = -1; // exclusive; -1 while alive

        Incarnation(long firstSeq) {
            this.firstSeq = firstSeq;
        }
    }

    /** Crashes device {@code id}'s agent as a process crash would (no offline state, the broker sends the Will). */
    void crash(String id) {
        Agent agent = agents.remove(id);
        if (agent != null) {
            agent.crash();
            retire(id, agent);
        }
    }

    /**
     * Closes the books on a life of device {@code id} that has ended: where its sequence numbers stopped, and what it
     * sent, so that the status line's totals stay totals across crashes and restarts.
     */
    private void retire(String id, Agent agent) {
        AgentStatus status = agent.status();
        List<Incarnation> lives = incarnations.get(id);
        lives.get(lives.size() - 1).endSeq = status.outbox().nextSeq();
        retiredSent.addAndGet(status.telemetrySent());
        retiredFailed.addAndGet(status.telemetryFailed());
    }

    /** Starts device {@code id} again from its state folder, as a restarted process would. */
    CompletableFuture<Void> restart(String id) {
        DeviceRecipe recipe = recipes.get(id);
        return CompletableFuture.supplyAsync(() -> launch(recipe)).thenCompose(Agent::start);
    }

    /** The {@code restart} command on a simulated device: a clean stop, then its agent again from its state folder. */
    private final class Restart implements dev.edgekit.agent.runtime.RestartHook {
        private final String id;

        Restart(String id) {
            this.id = id;
        }

        @Override
        public java.util.Optional<String> problem() {
            return java.util.Optional.empty(); // a simulated device's configuration never changes
        }

        @Override
        public void restart() {
            Agent agent = agents.remove(id);
            if (agent == null) {
                return; // crashed by chaos meanwhile: chaos starts it again
            }
            agent.stop(Duration.ofSeconds(2));
            retire(id, agent);
            launch(recipes.get(id)).start();
        }
    }

    /** Every life of every device so far. */
    java.util.Map<String, List<Incarnation>> incarnations() {
        return java.util.Map.copyOf(incarnations);
    }

    /** The ids of the devices this run simulates (this shard's). */
    List<String> deviceIds() {
        List<String> ids = new ArrayList<>();
        for (int i = plan.shard().from(plan.devices()); i < plan.shard().to(plan.devices()); i++) {
            ids.add(String.format(Locale.ROOT, "sim-%04d", i + 1));
        }
        return ids;
    }

    /** What every device also shows to other ecosystems (Home Assistant, Sparkplug); call before {@link #start()}. */
    void interop(AgentConfig.Interop interop) {
        this.interop = interop;
    }

    /**
     * Devices follow their shadow, and this simulation runs the site's shadow keeper (the single writer of desired
     * documents) on a session of its own; call before {@link #start()}.
     */
    void shadow() {
        MqttSession session = MqttSession.builder().server(plan.broker())
                .clientId(run.clientId("edgekit-simulate-keeper" + plan.shard().suffix())).pahoExecutor(paho).build();
        keeperSession = session;
        keeper = new dev.edgekit.console.shadow.ShadowKeeper(session, plan.site(),
                new dev.edgekit.protocol.clock.HybridLogicalClock(reference));
    }

    /** Turns chaos on; call before {@link #start()}. */
    void chaos(Chaos chaos) {
        this.chaos = chaos;
    }

    Plan plan() {
        return plan;
    }

    /** The consumer that watches the fleet through the broker (the status line; simulate's dashboard shares it). */
    MqttSession observerSession() {
        return observer;
    }

    Registry observerRegistry() {
        return registry;
    }

    /** Reference time: the simulated clocks' truth, and the observer's clock. */
    InstantSource referenceClock() {
        return reference;
    }

    /** The agents created so far, in no particular order. */
    public List<Agent> agents() {
        return List.copyOf(agents.values());
    }

    Summary summary() {
        long sent = retiredSent.get();
        long failed = retiredFailed.get();
        long reconnects = 0;
        long backlog = 0;
        for (Agent agent : agents.values()) {
            AgentStatus status = agent.status();
            backlog += status.outbox() == null ? 0 : status.outbox().depth();
            sent += status.telemetrySent();
            failed += status.telemetryFailed();
            reconnects += Math.max(0, status.session().connects() - 1);
        }
        java.util.Set<String> ours = recipes.keySet();
        List<DeviceView> seen = registry.devices().stream().filter(d -> ours.contains(d.id())).toList(); // this shard
        int online = (int) seen.stream().filter(d -> d.status() == DeviceView.Status.ONLINE).count();
        long telemetrySeen = seen.stream().mapToLong(DeviceView::telemetryCount).sum();
        int degraded = (int) seen.stream().filter(d -> d.status() == DeviceView.Status.ONLINE && (d.lastHeartbeat() != null
                ? !d.lastHeartbeat().degraded().isEmpty() : d.birth() != null && !d.birth().degraded().isEmpty())).count();
        int synced = (int) agents.values().stream().filter(a -> a.clock().synchronised()).count();
        long events = seen.stream().mapToLong(DeviceView::eventCount).sum();
        return new Summary(recipes.size(), online, sent, failed, telemetrySeen, registry.stats().malformed(), reconnects,
                degraded, events, hardware.faultsInjected(), synced, backlog, lag == null ? 0 : lag.lagNanos(),
                lag == null ? 0 : lag.worstNanos());
    }

    /** Each agent's |clock − reference| now, in nanoseconds, sorted (the fleet's sync error distribution). */
    long[] syncErrorsNanos() {
        return agents.values().stream().mapToLong(a -> {
            java.time.Instant ref = reference.instant();
            long referenceNanos = ref.getEpochSecond() * 1_000_000_000L + ref.getNano();
            return Math.abs(a.clock().epochNanos() - referenceNanos);
        }).sorted().toArray();
    }

    @Override
    public void close() {
        if (lag != null) {
            lag.close();
        }
        hardware.close();
        // all at once on virtual threads: an MQTT 5 disconnect takes ~100 ms, one by one a large fleet took minutes
        try (var stopping = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            agents.values().forEach(a -> stopping.execute(() -> a.stop(Duration.ofSeconds(3))));
        }
        observer.close();
        timeServer.close();
        timeSession.close();
        if (keeper != null) {
            keeper.close();
            keeperSession.close();
        }
        scheduler.shutdownNow();
        paho.shutdownNow();
        outboxes.forEach(SharedOutboxFile::close);
        run.close();
    }

    /** This run's state folder and client-id suffix. */
    SimulationRun run() {
        return run;
    }
}
