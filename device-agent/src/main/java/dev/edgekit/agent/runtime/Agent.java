package dev.edgekit.agent.runtime;

import dev.edgekit.agent.config.AgentConfig;
import dev.edgekit.hardware.Board;
import dev.edgekit.time.DeviceClock;
import dev.edgekit.time.DisciplinedClock;
import dev.edgekit.protocol.clock.LogicalClocks;
import dev.edgekit.protocol.message.Birth;
import dev.edgekit.protocol.message.Codec;
import dev.edgekit.protocol.message.Event;
import dev.edgekit.protocol.message.Heartbeat;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.protocol.mqtt.MqttSessionBuilder;
import dev.edgekit.protocol.mqtt.Outgoing;
import dev.edgekit.protocol.topic.Topics;
import dev.edgekit.ubiquitous.presence.Presence;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent on one board: connects with a Last Will, publishes its birth certificate (retained), heartbeats every
 * interval, samples its board's sensors into telemetry, publishes hardware events, answers commands, and says
 * {@code offline} when stopped. Several agents can share one JVM (the simulator); each has its own MQTT session.
 * The agent owns its {@link Board} and closes it on stop.
 */
public final class Agent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Agent.class);

    private final AgentConfig config;
    private final AgentEnvironment env;
    private final String id;
    private final Codec codec = new Codec();
    private final LogicalClocks logicalClocks;
    private final Presence presence;
    private final MqttSession session;
    private final DeviceClock device; // raw board clock: arrival stamps, uptime
    private final DisciplinedClock clock; // synced time: telemetry, heartbeats, logical clocks
    private final TimeService time;
    private final Instant startedAt;
    private final List<ScheduledFuture<?>> tasks = new java.util.concurrent.CopyOnWriteArrayList<>();
    private ScheduledFuture<?> heartbeatTask;
    private volatile Duration heartbeatEvery;
    private final AtomicLong heartbeatSeq = new AtomicLong();
    private final Delivery delivery; // the durable outbox: telemetry and events go only through it (see ARCHITECTURE.md)
    private final AtomicReference<String> lastError = new AtomicReference<>();
    private final HardwareRuntime hardware;
    private final BrokerDiscovery discovery; // broker.discover, else null
    private final DataSink dataSink;
    private final Listeners listeners = new Listeners();
    private final List<Projection> projections; // Home Assistant, Sparkplug, the shadow: as the config says
    private volatile boolean stopped;

    private Agent(AgentConfig config, AgentEnvironment env, Board board) {
        if (config.id() == null) {
            throw new IllegalArgumentException("the agent needs a device id (from config or the board)");
        }
        this.config = config;
        this.env = env;
        this.id = config.id();
        this.device = DeviceClock.of(env.deviceClock());
        this.clock = TimeService.clockFor(config.time(), device);
        this.startedAt = device.instant();
        // outbox + checkpoints: logical clocks and birth number restored above anything an earlier run used;
        // the HLC runs on the disciplined clock
        this.delivery = Delivery.open(config, device, clock, startedAt.toEpochMilli(), env.outboxWriters(),
                env.sharedOutbox());
        this.logicalClocks = delivery.logicalClocks();
        this.presence = new Presence(config.site(), id, config.broker().willDelay(), delivery.firstBirthSeq(),
                this::birth, codec);
        // with broker.discover the broker list is asked anew at every connect attempt
        this.discovery = config.broker().discover() != null ? BrokerDiscovery.start(config, id) : null;
        MqttSessionBuilder builder = sessionTo(config, env, discovery, env.clientId() != null ? env.clientId() : id)
                .clock(device) // raw device time on arrival: t2/t4 of clock sync (TimeClient)
                .logicalClocks(logicalClocks);
        presence.configure(builder);
        this.session = builder.build();
        presence.attach(session);
        this.time = TimeService.create(config.time(), session, config.site(), id, clock, config.stateDir(),
                env.scheduler(), config.heartbeatInterval()); // times the Berkeley master election
        // hardware: sampling, events, commands (see HardwareRuntime); stamped with the agent's clock
        this.dataSink = new TappedDataSink(new TopicDataSink(config.site(), id, delivery, codec), listeners);
        this.hardware = new HardwareRuntime(config.site(), id, board, config.hardware(), clock, env.scheduler(),
                dataSink, presence::republish, listeners, new OneShotTarget());
        StateTopics states = new StateTopics(config.site(), id, session, () -> hardware.outputs().states());
        listeners.add(states);
        session.addConnectionListener(states);
        this.projections = Projections.of(config, new Port());
    }

    /** A session to the configured (or discovered) brokers with the configured security, on the agent's threads. */
    private static MqttSessionBuilder sessionTo(AgentConfig config, AgentEnvironment env, BrokerDiscovery discovery,
            String clientId) {
        MqttSessionBuilder builder = MqttSession.builder()
                .servers(discovery != null ? List.of() : config.broker().urls())
                .clientId(clientId)
                .keepAlive(config.broker().keepAlive())
                .scheduler(env.scheduler())
                .random(env.random());
        if (env.pahoExecutor() != null) {
            builder.pahoExecutor(env.pahoExecutor());
        }
        if (discovery != null) {
            builder.servers(discovery::servers);
        }
        BrokerSecurity.apply(config.broker(), builder);
        return builder;
    }

    /**
     * An agent with the board its config asks for ({@link AgentBoards#open}; fails loudly if it cannot be opened), and
     * the board's default device id when the config has none.
     */
    public static Agent create(AgentConfig config, AgentEnvironment env) {
        Board board = AgentBoards.open(config, env.deviceClock(), env.scheduler(), env.random().nextLong());
        try {
            return new Agent(config.id() != null ? config : config.withId(board.info().defaultDeviceId()), env, board);
        } catch (RuntimeException e) {
            board.close();
            throw e;
        }
    }

    /** An agent with a board opened by the caller (a test holding a simulated board's handles, the simulator). */
    public static Agent create(AgentConfig config, AgentEnvironment env, Board board) {
        return new Agent(config, env, board);
    }

    /** Starts connecting, heartbeating and sampling; the future completes at the first connect. */
    public CompletableFuture<Void> start() {
        rescheduleHeartbeat(config.heartbeatInterval());
        hardware.start(session);
        time.start();
        delivery.start(session, env.scheduler(), env.random(), presence::birthSeq);
        projections.forEach(Projection::start);
        if (discovery != null) { // give mDNS a moment to find a first broker before connecting
            return discovery.firstOrAfter(config.broker().discover().firstWait()).thenCompose(x -> session.connect());
        }
        return session.connect();
    }

    /** (Re)schedules the heartbeat every {@code interval}; the first one after an interval. */
    private synchronized void rescheduleHeartbeat(Duration interval) {
        if (stopped) {
            return;
        }
        if (heartbeatTask != null) {
            heartbeatTask.cancel(false);
            tasks.remove(heartbeatTask);
        }
        heartbeatEvery = interval;
        long millis = interval.toMillis();
        heartbeatTask = env.scheduler().scheduleAtFixedRate(() -> guarded("heartbeat", this::heartbeat), millis,
                millis, TimeUnit.MILLISECONDS);
        tasks.add(heartbeatTask);
    }

    private Birth birth(long birthSeq) {
        return new Birth(id, config.name(), config.site(), hardware.boardInfo(), hardware.capabilities(),
                env.softwareVersion(), NetworkContext.towards(session.connectedServer()), null, startedAt, birthSeq,
                hardware.degradedForBirth(), delivery.status().dropped());
    }

    private void heartbeat() {
        if (!session.isConnected()) {
            return;
        }
        Heartbeat heartbeat = new Heartbeat(id, heartbeatSeq.getAndIncrement(), Math.max(0, presence.birthSeq()),
                clock.instant(), Duration.between(startedAt, device.instant()).toSeconds(), time.clockStatus(),
                delivery.heartbeatStatus(), degraded(), refusals());
        session.publish(Outgoing.of(Topics.heartbeat(config.site(), id).topic(), codec.encode(heartbeat), 0));
    }

    /** What this agent refused, by cause (docs/hardening.md): refused logical stamps and commands. */
    private java.util.Map<String, Long> refusals() {
        java.util.Map<String, Long> all = new java.util.HashMap<>(hardware.refusals());
        all.put("stamps", session.stats().badStamps());
        all.put("stateRepairsSkipped", presence.repairsSkipped());
        return all;
    }

    /** What is failing now: hardware entries, and the outbox when the disk refuses writes. */
    private List<String> degraded() {
        List<String> all = new ArrayList<>(hardware.degraded());
        all.addAll(delivery.degraded());
        return all;
    }

    /** Publishes an event through the outbox (QoS 1, sharing the per-device sequence with telemetry). */
    public void event(String name, Event.Severity severity, java.util.Map<String, String> attributes) {
        dataSink.event(name, severity, attributes, clock.instant());
    }

    private void guarded(String what, Runnable task) {
        if (stopped) {
            return;
        }
        try {
            task.run();
        } catch (RuntimeException e) {
            lastError.set(what + ": " + e.getMessage());
            log.error("{}: {} failed; carrying on", id, what, e);
        }
    }

    public String id() {
        return id;
    }

    public AgentConfig config() {
        return config;
    }

    /** The agent's synced clock (telemetry and heartbeat timestamps). */
    public DisciplinedClock clock() {
        return clock;
    }

    /** The agent's time roles (client, server, Berkeley) and their state. */
    public TimeService time() {
        return time;
    }

    public boolean isConnected() {
        return session.isConnected();
    }

    public AgentStatus status() {
        String error = lastError.get() != null ? lastError.get() : delivery.lastError();
        return new AgentStatus(id, session.isConnected(), presence.birthSeq(), heartbeatSeq.get(),
                delivery.drainerStats().acknowledged(), delivery.drainerStats().failures() + delivery.appendFailures(),
                session.stats(), error, delivery.status());
    }

    public HardwareStatus hardwareStatus() {
        return hardware.status();
    }

    /** Graceful stop: {@code offline} (retained), then a clean disconnect so the broker drops the Will. */
    public void stop(Duration timeout) {
        if (stopped) {
            return;
        }
        stopped = true;
        tasks.forEach(t -> t.cancel(false));
        for (int i = projections.size() - 1; i >= 0; i--) {
            projections.get(i).close();
        }
        time.close();
        try {
            presence.goOffline().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            log.warn("{}: offline state not confirmed by the broker: {}", id, e.getMessage());
        }
        session.close(timeout);
        if (discovery != null) {
            discovery.close();
        }
        hardware.close();
        delivery.close();
        log.info("{}: stopped", id);
    }

    /**
     * Dies as a crash would, for simulations of a fleet under chaos: no {@code offline} state and no DISCONNECT, so
     * the broker publishes the Will; what the outbox committed stays in the state folder for the next agent there,
     * which restores its sequence numbers and logical clocks above anything this one used.
     */
    public void crash() {
        if (stopped) {
            return;
        }
        stopped = true;
        tasks.forEach(t -> t.cancel(false));
        session.abort();
        for (int i = projections.size() - 1; i >= 0; i--) {
            projections.get(i).crash();
        }
        time.close();
        if (discovery != null) {
            discovery.close();
        }
        hardware.close();
        delivery.close();
        log.info("{}: crashed (simulated)", id);
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(2));
    }

    /** The agent as the one-shot commands (ping, sync, restart) see it. */
    private final class OneShotTarget implements OneShotCommands.Target {
        @Override
        public Duration uptime() {
            return Duration.between(startedAt, device.instant());
        }

        @Override
        public long birthSeq() {
            return presence.birthSeq();
        }

        @Override
        public Instant now() {
            return clock.instant();
        }

        @Override
        public dev.edgekit.protocol.message.Heartbeat.ClockStatus clockStatus() {
            return time.clockStatus();
        }

        @Override
        public boolean timeClient() {
            return time.pollRange().isPresent();
        }

        @Override
        public java.util.OptionalInt pollTimeNow() {
            return time.pollNow();
        }

        @Override
        public java.util.Optional<RestartHook> restarts() {
            return java.util.Optional.ofNullable(env.restarts());
        }
    }

    /** The agent as its projections see it. */
    private final class Port implements AgentPort {
        @Override
        public AgentConfig config() {
            return config;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public Birth.Board boardInfo() {
            return hardware.boardInfo();
        }

        @Override
        public String softwareVersion() {
            return env.softwareVersion();
        }

        @Override
        public List<dev.edgekit.protocol.message.Capability> capabilities() {
            return hardware.capabilities();
        }

        @Override
        public List<dev.edgekit.hardware.ActuatorState> outputs() {
            return hardware.outputs().states();
        }

        @Override
        public dev.edgekit.hardware.ActuatorState command(String actuator, dev.edgekit.hardware.ActuatorCommand command) {
            return hardware.outputs().command(actuator, command);
        }

        @Override
        public MqttSession session() {
            return session;
        }

        @Override
        public MqttSessionBuilder sessionBuilder(String suffix) {
            return sessionTo(config, env, discovery, (env.clientId() != null ? env.clientId() : id) + "-" + suffix);
        }

        @Override
        public String hlc() {
            return logicalClocks.send().hlc().toString();
        }

        @Override
        public void heartbeatInterval(Duration interval) {
            rescheduleHeartbeat(interval);
        }

        @Override
        public Duration heartbeatInterval() {
            return heartbeatEvery;
        }

        @Override
        public void samplingInterval(Duration interval) {
            hardware.samplingInterval(interval);
        }

        @Override
        public boolean samplingOverridden() {
            return hardware.samplingOverridden();
        }

        @Override
        public Duration samplingInterval() {
            return hardware.samplingInterval(config.hardware());
        }

        @Override
        public java.util.Map<String, Boolean> channels() {
            return hardware.channels();
        }

        @Override
        public void channelEnabled(String channel, boolean enabled) {
            hardware.channelEnabled(channel, enabled);
        }

        @Override
        public java.util.Optional<dev.edgekit.time.PollRange> timePolling() {
            return time.pollRange();
        }

        @Override
        public void timePolling(dev.edgekit.time.PollRange range) {
            time.pollRange(range);
        }

        @Override
        public DisciplinedClock clock() {
            return clock;
        }

        @Override
        public java.util.concurrent.ScheduledExecutorService scheduler() {
            return env.scheduler();
        }

        @Override
        public AutoCloseable listen(AgentListener listener) {
            return listeners.add(listener);
        }
    }
}
