package dev.edgekit.tools;

import dev.edgekit.console.EdgekitCommand;

import dev.edgekit.agent.config.AgentConfig;
import dev.edgekit.agent.outbox.Durability;
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
final class Simulator implements AutoCloseable {
    /** What to simulate. */
    record Plan(int devices, String broker, String site, long seed, Duration heartbeat, Duration sampling,
            Duration maxOffset, double maxDriftPpm, double faults, Duration faultWindow) {
    }

    /** The end-of-run figures. */
    record Summary(int devices, int online, long telemetrySent, long telemetryFailed, long telemetrySeen,
            long malformedSeen, long reconnects, int degraded, long eventsSeen, long faultsInjected, int synced) {
    }

    private final Plan plan;
    private final InstantSource reference;
    private final ScheduledExecutorService scheduler;
    private final ScheduledExecutorService paho = PahoThreads.virtual();
    private final List<Agent> agents = new ArrayList<>();
    private final Registry registry;
    private final MqttSession observer;
    private final SimulatedHardware hardware;
    /** The site's default stratum-1 time server, serving the reference clock (ARCHITECTURE.md, Clock sync). */
    static final String TIME_SERVER = "sim-time";
    private final MqttSession timeSession;
    private final TimeServer timeServer;

    Simulator(Plan plan, InstantSource reference) {
        this.plan = plan;
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
        this.observer = MqttSession.builder().server(plan.broker()).clientId("edgekit-simulate-observer")
                .pahoExecutor(paho).build();
        registry.attach(observer, plan.site());
        DisciplinedClock referenceClock = DisciplinedClock.reference(DeviceClock.of(reference), Duration.ZERO);
        this.timeSession = MqttSession.builder().server(plan.broker()).clientId("edgekit-simulate-time")
                .clock(referenceClock.device()).pahoExecutor(paho).build();
        this.timeServer = TimeServer.start(timeSession, plan.site(), TIME_SERVER, referenceClock);
    }

    /** Starts the observer and every agent; completes when all are connected. */
    CompletableFuture<Void> start() {
        SplittableRandom seeds = new SplittableRandom(plan.seed());
        List<CompletableFuture<Void>> started = new ArrayList<>();
        started.add(observer.connect().thenCompose(x -> registry.ready()));
        started.add(timeSession.connect());
        for (int i = 0; i < plan.devices(); i++) {
            SplittableRandom random = seeds.split();
            long offsetNanos = (long) ((random.nextDouble() * 2 - 1) * plan.maxOffset().toNanos());
            double driftPpm = (random.nextDouble() * 2 - 1) * plan.maxDriftPpm();
            InstantSource deviceClock = DeviceClock.simulated(reference).offset(Duration.ofNanos(offsetNanos))
                    .driftPpm(driftPpm).driftOrigin(reference.instant())
                    .jitter(Duration.ofNanos(500), random.split()).build();
            String id = String.format(Locale.ROOT, "sim-%04d", i + 1);
            AgentConfig config = new AgentConfig(plan.site(), id, "Simulated board " + (i + 1),
                    new AgentConfig.BrokerConfig(List.of(plan.broker()), Duration.ofSeconds(10), Duration.ZERO, null,
                            null),
                    plan.heartbeat(), AgentConfig.BoardKind.SIMULATED,
                    SimulatedHardware.config(plan.sampling(), SimulatedHardware.probeId(i + 1)),
                    Path.of(System.getProperty("java.io.tmpdir"), "edgekit-sim", id),
                    AgentConfig.TimeConfig.ntp(List.of(TIME_SERVER)))
                    // many outboxes on one disk: fsync per commit would dominate; a simulation survives no power cut
                    .withOutbox(new AgentConfig.OutboxSettings(100_000, 16L * 1024 * 1024, Durability.NORMAL));
            Agent agent = Agent.create(config, new AgentEnvironment(deviceClock, scheduler, paho, random,
                    EdgekitCommand.version()), hardware.open(id, config.hardware(), deviceClock, random.split()));
            agents.add(agent);
            started.add(agent.start());
        }
        return CompletableFuture.allOf(started.toArray(CompletableFuture[]::new));
    }

    Summary summary() {
        long sent = 0;
        long failed = 0;
        long reconnects = 0;
        for (Agent agent : agents) {
            AgentStatus status = agent.status();
            sent += status.telemetrySent();
            failed += status.telemetryFailed();
            reconnects += Math.max(0, status.session().connects() - 1);
        }
        List<DeviceView> seen = registry.devices();
        int online = (int) seen.stream().filter(d -> d.status() == DeviceView.Status.ONLINE).count();
        long telemetrySeen = seen.stream().mapToLong(DeviceView::telemetryCount).sum();
        int degraded = (int) seen.stream().filter(d -> d.status() == DeviceView.Status.ONLINE && (d.lastHeartbeat() != null
                ? !d.lastHeartbeat().degraded().isEmpty() : d.birth() != null && !d.birth().degraded().isEmpty())).count();
        int synced = (int) agents.stream().filter(a -> a.clock().synchronised()).count();
        long events = seen.stream().mapToLong(DeviceView::eventCount).sum();
        return new Summary(agents.size(), online, sent, failed, telemetrySeen, registry.stats().malformed(), reconnects,
                degraded, events, hardware.faultsInjected(), synced);
    }

    @Override
    public void close() {
        hardware.close();
        agents.parallelStream().forEach(a -> a.stop(Duration.ofSeconds(3)));
        observer.close();
        timeServer.close();
        timeSession.close();
        scheduler.shutdownNow();
        paho.shutdownNow();
    }
}
