package dev.edgekit.agent.runtime;

import dev.edgekit.agent.config.AgentConfig;
import dev.edgekit.protocol.clock.LogicalClocks;
import dev.edgekit.protocol.message.Birth;
import dev.edgekit.protocol.message.Capability;
import dev.edgekit.protocol.message.Codec;
import dev.edgekit.protocol.message.Event;
import dev.edgekit.protocol.message.Heartbeat;
import dev.edgekit.protocol.message.Telemetry;
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
 * interval, samples its sensors into telemetry, and says {@code offline} when stopped. Several agents can share one
 * JVM (the simulator); each has its own MQTT session.
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
    private final Instant startedAt;
    private final List<ScheduledFuture<?>> tasks = new ArrayList<>();
    private final AtomicLong heartbeatSeq = new AtomicLong();
    private final Delivery delivery; // the durable outbox: telemetry and events go only through it (DESIGN §6)
    private final AtomicReference<String> lastError = new AtomicReference<>();
    private volatile boolean stopped;

    private Agent(AgentConfig config, AgentEnvironment env) {
        if (config.id() == null) {
            throw new IllegalArgumentException("the agent needs a device id (from config or the board)");
        }
        this.config = config;
        this.env = env;
        this.id = config.id();
        this.startedAt = env.deviceClock().instant();
        // outbox + checkpoints: logical clocks and birth number restored above anything an earlier run used
        this.delivery = Delivery.open(config, env.deviceClock(), env.deviceClock(), startedAt.toEpochMilli());
        this.logicalClocks = delivery.logicalClocks();
        this.presence = new Presence(config.site(), id, config.broker().willDelay(), delivery.firstBirthSeq(),
                this::birth, codec);
        MqttSessionBuilder builder = MqttSession.builder()
                .servers(config.broker().urls())
                .clientId(id)
                .keepAlive(config.broker().keepAlive())
                .clock(env.deviceClock())
                .logicalClocks(logicalClocks)
                .scheduler(env.scheduler())
                .random(env.random());
        if (env.pahoExecutor() != null) {
            builder.pahoExecutor(env.pahoExecutor());
        }
        presence.configure(builder);
        this.session = builder.build();
        presence.attach(session);
    }

    public static Agent create(AgentConfig config, AgentEnvironment env) {
        return new Agent(config, env);
    }

    /** Starts connecting, heartbeating and sampling; the future completes at the first connect. */
    public CompletableFuture<Void> start() {
        long heartbeatMillis = config.heartbeatInterval().toMillis();
        tasks.add(env.scheduler().scheduleAtFixedRate(() -> guarded("heartbeat", this::heartbeat), heartbeatMillis,
                heartbeatMillis, TimeUnit.MILLISECONDS));
        for (AgentConfig.SensorConfig sensor : config.sensors()) {
            SimulatedTemperature model = new SimulatedTemperature(env.deviceClock(), env.random());
            long every = sensor.interval().toMillis();
            tasks.add(env.scheduler().scheduleAtFixedRate(() -> guarded("sampling " + sensor.entry(),
                    () -> sample(sensor, model.read())), every, every, TimeUnit.MILLISECONDS));
        }
        delivery.start(session, env.scheduler(), env.random(), presence::birthSeq);
        return session.connect();
    }

    private Birth birth(long birthSeq) {
        List<Capability> capabilities = config.sensors().stream()
                .map(s -> Capability.sensor(s.channel(), s.unit())).toList();
        return new Birth(id, config.name(), config.site(), new Birth.Board(config.board() == AgentConfig.BoardKind.SIMULATED
                ? "simulated" : "raspberry-pi", null), capabilities, env.softwareVersion(),
                NetworkContext.towards(session.connectedServer()), null, startedAt, birthSeq, List.of());
    }

    private void heartbeat() {
        if (!session.isConnected()) {
            return;
        }
        Instant now = env.deviceClock().instant();
        Heartbeat heartbeat = new Heartbeat(id, heartbeatSeq.getAndIncrement(), Math.max(0, presence.birthSeq()), now,
                Duration.between(startedAt, now).toSeconds(), Heartbeat.ClockStatus.UNSYNCHRONISED,
                delivery.heartbeatStatus(), delivery.degraded());
        session.publish(Outgoing.of(Topics.heartbeat(config.site(), id).topic(), codec.encode(heartbeat), 0));
    }

    private void sample(AgentConfig.SensorConfig sensor, double value) {
        Instant time = env.deviceClock().instant();
        delivery.telemetry(Topics.telemetry(config.site(), id, sensor.channel()).topic(),
                seq -> codec.encode(new Telemetry(id, seq, sensor.channel(), value, sensor.unit(), time)));
    }

    /** Publishes an event through the outbox (QoS 1, sharing the per-device sequence with telemetry). */
    public void event(String name, Event.Severity severity, java.util.Map<String, String> attributes) {
        Instant time = env.deviceClock().instant();
        delivery.event(Topics.event(config.site(), id, name).topic(),
                seq -> codec.encode(new Event(id, seq, name, severity, time, attributes)));
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

    public boolean isConnected() {
        return session.isConnected();
    }

    public AgentStatus status() {
        String error = lastError.get() != null ? lastError.get() : delivery.lastError();
        return new AgentStatus(id, session.isConnected(), presence.birthSeq(), heartbeatSeq.get(),
                delivery.drainerStats().acknowledged(), delivery.drainerStats().failures() + delivery.appendFailures(),
                session.stats(), error, delivery.status());
    }

    /** Graceful stop: {@code offline} (retained), then a clean disconnect so the broker drops the Will. */
    public void stop(Duration timeout) {
        if (stopped) {
            return;
        }
        stopped = true;
        tasks.forEach(t -> t.cancel(false));
        try {
            presence.goOffline().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            log.warn("{}: offline state not confirmed by the broker: {}", id, e.getMessage());
        }
        session.close(timeout);
        delivery.close();
        log.info("{}: stopped", id);
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(2));
    }
}
