package dev.edgekit.agent.interop;

import dev.edgekit.agent.runtime.AgentListener;
import dev.edgekit.agent.runtime.AgentPort;
import dev.edgekit.agent.runtime.Projection;
import dev.edgekit.hardware.ActuatorCommand;
import dev.edgekit.hardware.ActuatorState;
import dev.edgekit.hardware.CommandRejectedException;
import dev.edgekit.protocol.guard.RateLimitedLog;
import dev.edgekit.protocol.guard.TokenBucket;
import dev.edgekit.agent.interop.SparkplugCommands.Cause;
import dev.edgekit.protocol.message.Event;
import dev.edgekit.protocol.mqtt.ConnectionListener;
import dev.edgekit.protocol.mqtt.Inbound;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.protocol.mqtt.Outgoing;
import dev.edgekit.protocol.mqtt.Will;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.tahu.message.SparkplugBPayloadEncoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.SparkplugBPayload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code interop.sparkplug}: the agent is also a Sparkplug B edge node {@code spBv1.0/{group}/…/{device id}}, mapped
 * from the same device model ({@link SparkplugModel}); payloads are encoded and decoded by Eclipse Tahu.
 *
 * <p>It runs on a session of its own, because its Last Will must be the NDEATH of that very connection (the agent's
 * own Will is edgekit's {@code offline} state). Every connection takes a new {@code bdSeq} ({@link BdSeqFile}, stored
 * before connecting) for its NDEATH Will, and the NBIRTH on that connection carries the same one; NBIRTH has
 * {@code seq} 0, and every later NBIRTH/DBIRTH/DDATA the next, modulo 256. After the births, data goes by metric alias
 * only. A host's NCMD {@code Node Control/Rebirth} gets a new NBIRTH and DBIRTHs; a DCMD writes an output through the
 * agent's one command path (the same validation as {@code cmd/set}). Commands are untrusted: bounded and parsed by
 * {@link SparkplugCommands}, at most {@link #COMMANDS_PER_SECOND} a second, and every refusal is counted by cause in the
 * node metrics {@code Refused/{cause}} (NBIRTH, then NDATA at most once a second when they change). A clean stop
 * ends with DISCONNECT reason 0x04, so the broker publishes the NDEATH Will. Not supported: primary host application
 * STATE awareness, historical data while offline.
 */
public final class SparkplugNode implements Projection, ConnectionListener, AgentListener {
    private static final Logger log = LoggerFactory.getLogger(SparkplugNode.class);
    static final String NAMESPACE = "spBv1.0";
    /** NCMD and DCMD a node carries out per second (a burst of twice that); the rest are refused and counted. */
    static final double COMMANDS_PER_SECOND = 5;

    private final AgentPort agent;
    private final String group;
    private final String node;
    private final SparkplugModel model;
    private final BdSeqFile bdSeqFile;
    private final SparkplugBPayloadEncoder encoder = new SparkplugBPayloadEncoder();
    private final RateLimitedLog limitedLog = new RateLimitedLog(log, Duration.ofMinutes(1));
    private final TokenBucket commandRate = new TokenBucket(COMMANDS_PER_SECOND, (int) (2 * COMMANDS_PER_SECOND));
    private final Map<Cause, AtomicLong> refusals = new EnumMap<>(Cause.class);
    private final Map<Cause, Long> countsSent = new EnumMap<>(Cause.class); // guarded by this
    private java.util.concurrent.ScheduledFuture<?> countsDue; // guarded by this
    private final AtomicLong births = new AtomicLong();
    private MqttSession session;
    private AutoCloseable listening;
    private volatile long bdSeq = -1; // of the connection being made or made
    private long seq; // guarded by this
    private boolean born; // guarded by this: NBIRTH sent on the current connection

    public SparkplugNode(AgentPort agent) {
        this.agent = agent;
        this.group = agent.config().interop().sparkplug().group();
        this.node = agent.id();
        this.model = new SparkplugModel(agent.config(), agent.capabilities());
        this.bdSeqFile = new BdSeqFile(agent.config().stateDir());
        for (Cause cause : Cause.values()) {
            refusals.put(cause, new AtomicLong());
            countsSent.put(cause, 0L);
        }
    }

    private String topic(String type, String device) {
        return NAMESPACE + "/" + group + "/" + type + "/" + node + (device == null ? "" : "/" + device);
    }

    @Override
    public void start() {
        // a clean close sends DISCONNECT 0x04, so the broker publishes the NDEATH Will then too (Sparkplug 3.0, MQTT 5)
        session = agent.sessionBuilder("spb").will(this::death).willOnClose(true).build();
        session.addConnectionListener(this);
        session.subscribe(topic("NCMD", null), 1, this::command);
        session.subscribe(topic("DCMD", "+"), 1, this::command);
        listening = agent.listen(this);
        session.connect();
    }

    /** The NDEATH Will of the next connection, with a new bdSeq. */
    private Will death() {
        bdSeq = bdSeqFile.next();
        return new Will(topic("NDEATH", null), encode(deathPayload()), 1, false, Duration.ZERO);
    }

    private SparkplugBPayload deathPayload() {
        SparkplugBPayload payload = new SparkplugBPayload(now(), new java.util.ArrayList<>());
        payload.addMetric(metric("bdSeq", null, MetricDataType.Int64, bdSeq));
        return payload;
    }

    @Override
    public void connected(String serverUri, boolean sessionPresent) {
        birth();
    }

    @Override
    public synchronized void disconnected(Throwable cause) {
        born = false;
    }

    /** NBIRTH (seq 0, bdSeq of this connection, the node's metrics) then one DBIRTH per device. */
    private synchronized void birth() {
        seq = 0;
        SparkplugBPayload nbirth = new SparkplugBPayload(now(), new java.util.ArrayList<>(), nextSeq());
        nbirth.addMetric(metric("bdSeq", 1L, MetricDataType.Int64, bdSeq));
        nbirth.addMetric(metric(SparkplugCommands.REBIRTH, SparkplugCommands.REBIRTH_ALIAS, MetricDataType.Boolean,
                false));
        for (Cause cause : Cause.values()) {
            long count = refusals.get(cause).get();
            countsSent.put(cause, count);
            nbirth.addMetric(metric("Refused/" + cause.metricName(), refusalAlias(cause), MetricDataType.Int64,
                    count));
        }
        publish(topic("NBIRTH", null), nbirth);
        List<ActuatorState> outputs = agent.outputs();
        for (Map.Entry<String, List<SparkplugModel.Point>> device : model.devices().entrySet()) {
            SparkplugBPayload dbirth = new SparkplugBPayload(now(), new java.util.ArrayList<>(), nextSeq());
            for (SparkplugModel.Point p : device.getValue()) {
                dbirth.addMetric(metric(p.metric(), p.alias(), p.type(), initial(p, outputs)));
            }
            publish(topic("DBIRTH", device.getKey()), dbirth);
        }
        born = true;
        births.incrementAndGet();
    }

    private static Object initial(SparkplugModel.Point p, List<ActuatorState> outputs) {
        ActuatorState state = outputs.stream().filter(o -> o.name().equals(p.device())).findFirst().orElse(null);
        return switch (p.metric()) {
            case "on" -> state != null && state.on();
            case "duty" -> state == null ? 0 : state.dutyCyclePercent();
            case "active" -> false;
            default -> null; // a sensor reading: null until the first sample
        };
    }

    private long nextSeq() {
        long s = seq;
        seq = (seq + 1) % 256;
        return s;
    }

    /** One metric by alias in a DDATA of {@code device}, if the node is born. */
    private synchronized void data(SparkplugModel.Point p, Object value, Instant at) {
        if (!born) {
            return; // the next births carry the state; data between connections is not kept
        }
        SparkplugBPayload ddata = new SparkplugBPayload(Date.from(at), new java.util.ArrayList<>(), nextSeq());
        ddata.addMetric(metric(null, p.alias(), p.type(), value));
        publish(topic("DDATA", p.device()), ddata);
    }

    @Override
    public void telemetry(String channel, double value, String unit, Instant time) {
        model.channel(channel).ifPresent(p -> data(p, value, time));
    }

    @Override
    public void outputChanged(ActuatorState state) {
        model.point(state.name(), "on", null).ifPresent(p -> data(p, state.on(), agent.clock().instant()));
        model.point(state.name(), "duty", null).ifPresent(p -> data(p, state.dutyCyclePercent(),
                agent.clock().instant()));
    }

    @Override
    public void event(String name, Event.Severity severity, Map<String, String> attributes, Instant time) {
        String device = attributes.get("device");
        if (device != null) {
            dev.edgekit.hardware.HardwareEvent.activeAfter(name).ifPresent(active ->
                    model.point(device, "active", null).ifPresent(p -> data(p, active, time)));
        }
    }

    /** NCMD and DCMD, on the session's handler thread: bounded, rate-limited, parsed, then carried out. */
    private void command(Inbound in) {
        String[] levels = in.topic().split("/");
        boolean nodeCommand = levels.length == 4;
        if (!commandRate.tryAcquire(in.receivedAt())) {
            refuse(new SparkplugCommands.Refusal(Cause.RATE_LIMITED, "more than " + COMMANDS_PER_SECOND
                    + " commands a second"), in);
            return;
        }
        SparkplugCommands.Decoded decoded = nodeCommand ? SparkplugCommands.node(in.payload())
                : SparkplugCommands.device(in.payload(), levels[4], model);
        switch (decoded) {
            case SparkplugCommands.Refused r -> refuse(r.refusal(), in);
            case SparkplugCommands.Accepted a -> {
                a.refusals().forEach(r -> refuse(r, in));
                a.writes().forEach(w -> carryOut(w, in));
            }
        }
    }

    private void carryOut(SparkplugCommands.Write write, Inbound in) {
        if (write == SparkplugCommands.Write.REBIRTH) {
            log.info("{}: Sparkplug rebirth asked", node);
            birth();
            return;
        }
        try {
            agent.command(write.point().device(), write.command()); // the new state goes out as DDATA (outputChanged)
        } catch (CommandRejectedException e) {
            refuse(new SparkplugCommands.Refusal(Cause.REJECTED, e.getMessage()), in);
        }
    }

    private void refuse(SparkplugCommands.Refusal refusal, Inbound in) {
        refusals.get(refusal.cause()).incrementAndGet();
        limitedLog.warn("spb-" + refusal.cause().metricName(), in.receivedAt(),
                "{}: Sparkplug command on {} refused ({}): {}", node, in.topic(), refusal.cause().metricName(),
                refusal.detail());
        synchronized (this) { // the counts go out as NDATA, at most once a second whatever the flood
            if (countsDue == null || countsDue.isDone()) {
                countsDue = agent.scheduler().schedule(this::publishCounts, 1, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
    }

    /** NDATA with the refusal counts that changed since the hosts last heard them. */
    private synchronized void publishCounts() {
        if (!born) {
            return; // the next NBIRTH carries them
        }
        SparkplugBPayload ndata = new SparkplugBPayload(now(), new java.util.ArrayList<>(), 0L);
        for (Cause cause : Cause.values()) {
            long count = refusals.get(cause).get();
            if (count != countsSent.get(cause)) {
                countsSent.put(cause, count);
                ndata.addMetric(metric(null, refusalAlias(cause), MetricDataType.Int64, count));
            }
        }
        if (!ndata.getMetrics().isEmpty()) {
            ndata.setSeq(nextSeq());
            publish(topic("NDATA", null), ndata);
        }
    }

    private static long refusalAlias(Cause cause) {
        return 3 + cause.ordinal(); // after bdSeq (1) and Node Control/Rebirth (2); the devices' start at 10
    }

    private void publish(String topic, SparkplugBPayload payload) {
        session.publish(Outgoing.of(topic, encode(payload), topic.contains("/NBIRTH/") || topic.contains("/DBIRTH/")
                ? 1 : 0)).whenComplete((ok, e) -> {
                    if (e != null) {
                        log.debug("{}: {} not published: {}", node, topic, e.getMessage());
                    }
                });
    }

    private byte[] encode(SparkplugBPayload payload) {
        try {
            return encoder.getBytes(payload, false);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Sparkplug payload", e);
        }
    }

    private static Metric metric(String name, Long alias, MetricDataType type, Object value) {
        try {
            Metric.MetricBuilder builder = name != null ? new Metric.MetricBuilder(name, type, value)
                    : new Metric.MetricBuilder(alias, type, value);
            if (name != null && alias != null) {
                builder.alias(alias);
            }
            return builder.createMetric();
        } catch (org.eclipse.tahu.SparkplugInvalidTypeException e) {
            throw new IllegalArgumentException("metric " + name + ": " + e.getMessage(), e);
        }
    }

    private Date now() {
        return Date.from(agent.clock().instant());
    }

    /** Commands (or metrics in them) refused, by cause; published as the node metrics {@code Refused/{cause}}. */
    public Map<String, Long> refusals() {
        Map<String, Long> counts = new java.util.LinkedHashMap<>();
        refusals.forEach((cause, n) -> counts.put(cause.metricName(), n.get()));
        return counts;
    }

    /** All refusals. */
    public long refused() {
        return refusals.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** NBIRTHs published (connections and rebirths). */
    public long births() {
        return births.get();
    }

    @Override
    public void crash() {
        stopListening();
        if (session != null) {
            session.abort(); // the broker publishes this connection's NDEATH Will
        }
    }

    private void stopListening() {
        if (listening != null) {
            try {
                listening.close();
            } catch (Exception e) {
                log.debug("{}: removing the Sparkplug listener: {}", node, e.toString());
            }
        }
    }

    @Override
    public void close() {
        stopListening();
        if (session == null) {
            return;
        }
        synchronized (this) {
            if (countsDue != null) {
                countsDue.cancel(false);
            }
        }
        session.close(); // DISCONNECT 0x04: the broker publishes this connection's NDEATH (willOnClose)
    }
}
