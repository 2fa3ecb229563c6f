package dev.edgekit.agent.interop;

import dev.edgekit.agent.runtime.AgentListener;
import dev.edgekit.agent.runtime.AgentPort;
import dev.edgekit.agent.runtime.Projection;
import dev.edgekit.hardware.ActuatorCommand;
import dev.edgekit.hardware.ActuatorState;
import dev.edgekit.hardware.CommandRejectedException;
import dev.edgekit.protocol.guard.RateLimitedLog;
import dev.edgekit.protocol.message.Event;
import dev.edgekit.protocol.mqtt.ConnectionListener;
import dev.edgekit.protocol.mqtt.Inbound;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.protocol.mqtt.Outgoing;
import dev.edgekit.protocol.mqtt.Will;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.tahu.message.SparkplugBPayloadDecoder;
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
 * agent's one command path (the same validation as {@code cmd/set}). A clean stop publishes NDEATH before
 * disconnecting. Not supported: primary host application STATE awareness, historical data while offline.
 */
public final class SparkplugNode implements Projection, ConnectionListener, AgentListener {
    private static final Logger log = LoggerFactory.getLogger(SparkplugNode.class);
    static final String NAMESPACE = "spBv1.0";
    static final String REBIRTH = "Node Control/Rebirth";
    /** A command payload larger than this is not decoded. */
    static final int MAX_COMMAND_BYTES = 16 * 1024;

    private final AgentPort agent;
    private final String group;
    private final String node;
    private final SparkplugModel model;
    private final BdSeqFile bdSeqFile;
    private final SparkplugBPayloadEncoder encoder = new SparkplugBPayloadEncoder();
    private final RateLimitedLog limitedLog = new RateLimitedLog(log, Duration.ofMinutes(1));
    private final AtomicLong refused = new AtomicLong();
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
    }

    private String topic(String type, String device) {
        return NAMESPACE + "/" + group + "/" + type + "/" + node + (device == null ? "" : "/" + device);
    }

    @Override
    public void start() {
        session = agent.sessionBuilder("spb").will(this::death).build();
        session.addConnectionListener(this);
        session.subscribe(topic("NCMD", null), 1, this::nodeCommand);
        session.subscribe(topic("DCMD", "+"), 1, this::deviceCommand);
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
        nbirth.addMetric(metric(REBIRTH, 2L, MetricDataType.Boolean, false));
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

    private void nodeCommand(Inbound in) {
        SparkplugBPayload payload = decode(in);
        if (payload == null) {
            return;
        }
        for (Metric m : payload.getMetrics()) {
            if ((REBIRTH.equals(m.getName()) || Long.valueOf(2L).equals(m.hasAlias() ? m.getAlias() : null))
                    && Boolean.TRUE.equals(m.getValue())) {
                log.info("{}: Sparkplug rebirth asked", node);
                birth();
            } else {
                refuse(in, "unknown node metric " + m.getName());
            }
        }
    }

    private void deviceCommand(Inbound in) {
        SparkplugBPayload payload = decode(in);
        if (payload == null) {
            return;
        }
        String device = in.topic().substring(in.topic().lastIndexOf('/') + 1);
        for (Metric m : payload.getMetrics()) {
            var point = model.point(device, m.getName(), m.hasAlias() ? m.getAlias() : null);
            if (point.isEmpty() || !point.get().writable()) {
                refuse(in, "no writable metric " + m.getName() + " on " + device);
                continue;
            }
            Object value = m.getValue();
            ActuatorCommand command;
            if (point.get().metric().equals("on") && value instanceof Boolean on) {
                command = new ActuatorCommand.SetOn(on);
            } else if (point.get().metric().equals("duty") && value instanceof Number n
                    && n.doubleValue() == Math.rint(n.doubleValue()) && Math.abs(n.doubleValue()) < 1e6) {
                command = new ActuatorCommand.SetDutyCycle(n.intValue());
            } else {
                refuse(in, device + "/" + point.get().metric() + ": wrong type " + value);
                continue;
            }
            try {
                agent.command(device, command); // the new state goes out as DDATA from outputChanged
            } catch (CommandRejectedException e) {
                refuse(in, e.getMessage());
            }
        }
    }

    private SparkplugBPayload decode(Inbound in) {
        if (in.payload().length > MAX_COMMAND_BYTES) {
            refuse(in, "payload of " + in.payload().length + " bytes");
            return null;
        }
        try {
            return new SparkplugBPayloadDecoder().buildFromByteArray(in.payload(), null);
        } catch (Exception e) {
            refuse(in, "not a Sparkplug B payload: " + e.getMessage());
            return null;
        }
    }

    private void refuse(Inbound in, String why) {
        refused.incrementAndGet();
        limitedLog.warn("spb-refused", in.receivedAt(), "{}: Sparkplug command on {} refused: {}", node, in.topic(),
                why);
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

    /** Commands refused (not decodable, unknown or read-only metrics, wrong types, rejected by the board). */
    public long refused() {
        return refused.get();
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
        if (session.isConnected()) { // a clean stop: say so, as the Will would have (it is dropped by DISCONNECT)
            try {
                session.publish(Outgoing.of(topic("NDEATH", null), encode(deathPayload()), 1))
                        .get(2, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                log.debug("{}: NDEATH not confirmed: {}", node, e.toString());
            }
        }
        session.close();
    }
}
