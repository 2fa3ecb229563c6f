package dev.edgekit.agent.interop;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.edgekit.hardware.ActuatorCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.tahu.protobuf.SparkplugBProto;

/**
 * Reads an NCMD or DCMD payload, which is untrusted: its size is bounded before it is parsed, it is parsed with
 * Tahu's generated protobuf classes (not Tahu's payload decoder, which would also build data sets, templates and
 * property sets the agent never accepts), at most {@link #MAX_METRICS} metrics are looked at, and only metrics the
 * births announced as writable, with a value of their announced type and range, become writes. A metric is named by
 * its name or its alias (a command need not carry a datatype). Pure: no I/O, no clock.
 */
final class SparkplugCommands {
    static final int MAX_BYTES = 16 * 1024;
    static final int MAX_METRICS = 64;
    static final String REBIRTH = "Node Control/Rebirth";
    static final long REBIRTH_ALIAS = 2;

    /** Why (part of) a command was not carried out; each is a node metric {@code Refused/{name}}. */
    enum Cause {
        TOO_LARGE, UNDECODABLE, UNKNOWN_METRIC, BAD_VALUE, RATE_LIMITED, REJECTED;

        /** {@code too-large}, … */
        String metricName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    record Refusal(Cause cause, String detail) {
    }

    /** One write a command asks for: an output command, or a rebirth (point and command null). */
    record Write(SparkplugModel.Point point, ActuatorCommand command) {
        static final Write REBIRTH = new Write(null, null);
    }

    sealed interface Decoded permits Accepted, Refused {
    }

    /** What was understood, and the metrics that were not (the rest of the payload still counts). */
    record Accepted(List<Write> writes, List<Refusal> refusals) implements Decoded {
        Accepted {
            writes = List.copyOf(writes);
            refusals = List.copyOf(refusals);
        }
    }

    /** The payload as a whole (too large, not protobuf, too many metrics). */
    record Refused(Refusal refusal) implements Decoded {
    }

    private SparkplugCommands() {
    }

    /** An NCMD: only {@code Node Control/Rebirth = true} is a node command. */
    static Decoded node(byte[] payload) {
        return decode(payload, (name, alias, metric) -> {
            if (!REBIRTH.equals(name) && !(name == null && alias != null && alias == REBIRTH_ALIAS)) {
                return refusal(Cause.UNKNOWN_METRIC, "no node metric " + describe(name, alias));
            }
            boolean yes = metric.getValueCase() == SparkplugBProto.Payload.Metric.ValueCase.BOOLEAN_VALUE
                    && !metric.getIsNull() && metric.getBooleanValue();
            return yes ? Write.REBIRTH : refusal(Cause.BAD_VALUE, REBIRTH + ": needs Boolean true");
        });
    }

    /** A DCMD for {@code device}: writes of its {@code on} or {@code duty}. */
    static Decoded device(byte[] payload, String device, SparkplugModel model) {
        return decode(payload, (name, alias, metric) -> {
            Optional<SparkplugModel.Point> point = model.point(device, name, alias)
                    .filter(SparkplugModel.Point::writable);
            if (point.isEmpty()) {
                return refusal(Cause.UNKNOWN_METRIC, "no writable metric " + describe(name, alias) + " on " + device);
            }
            ActuatorCommand command = command(point.get(), metric);
            return command != null ? new Write(point.get(), command) : refusal(Cause.BAD_VALUE, device + "/"
                    + point.get().metric() + ": needs " + (point.get().metric().equals("on") ? "a Boolean"
                    : "an integer 0..100"));
        });
    }

    private interface MetricReader {
        /** A {@link Write} or a {@link Refusal}. */
        Object read(String name, Long alias, SparkplugBProto.Payload.Metric metric);
    }

    private static Decoded decode(byte[] payload, MetricReader reader) {
        if (payload.length > MAX_BYTES) {
            return new Refused(new Refusal(Cause.TOO_LARGE, payload.length + " bytes, more than " + MAX_BYTES));
        }
        SparkplugBProto.Payload proto;
        try {
            proto = SparkplugBProto.Payload.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            return new Refused(new Refusal(Cause.UNDECODABLE, "not a Sparkplug B payload"));
        }
        if (proto.getMetricsCount() > MAX_METRICS) {
            return new Refused(new Refusal(Cause.TOO_LARGE, proto.getMetricsCount() + " metrics, more than "
                    + MAX_METRICS));
        }
        List<Write> writes = new ArrayList<>();
        List<Refusal> refusals = new ArrayList<>();
        for (SparkplugBProto.Payload.Metric m : proto.getMetricsList()) {
            Object read = reader.read(m.hasName() ? m.getName() : null, m.hasAlias() ? m.getAlias() : null, m);
            if (read instanceof Write w) {
                writes.add(w);
            } else {
                refusals.add((Refusal) read);
            }
        }
        return new Accepted(writes, refusals);
    }

    /** The command for the metric's value, if it has the point's type and range; null otherwise. */
    private static ActuatorCommand command(SparkplugModel.Point point, SparkplugBProto.Payload.Metric m) {
        if (m.getIsNull()) {
            return null;
        }
        if (point.metric().equals("on")) {
            return m.getValueCase() == SparkplugBProto.Payload.Metric.ValueCase.BOOLEAN_VALUE
                    ? new ActuatorCommand.SetOn(m.getBooleanValue()) : null;
        }
        long duty = switch (m.getValueCase()) { // Int32 travels in int_value (uint32); a host may send an Int64
            case INT_VALUE -> m.getIntValue();
            case LONG_VALUE -> m.getLongValue();
            default -> -1;
        };
        return duty >= 0 && duty <= 100 ? new ActuatorCommand.SetDutyCycle((int) duty) : null;
    }

    private static Refusal refusal(Cause cause, String detail) {
        return new Refusal(cause, detail);
    }

    private static String describe(String name, Long alias) {
        if (name != null) {
            return "'" + (name.length() <= 64 ? name : name.substring(0, 64) + "…") + "'";
        }
        return alias != null ? "with alias " + alias : "without name or alias";
    }
}
