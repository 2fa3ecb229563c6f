package dev.edgekit.agent.interop;

import dev.edgekit.agent.config.AgentConfig;
import dev.edgekit.hardware.spec.DeviceSpec;
import dev.edgekit.hardware.spec.DigitalInputSpec;
import dev.edgekit.hardware.spec.DigitalOutputSpec;
import dev.edgekit.hardware.spec.PwmOutputSpec;
import dev.edgekit.protocol.message.Capability;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.tahu.message.model.MetricDataType;

/**
 * The agent as Sparkplug B sees it: each configured hardware entry is a Sparkplug device (the BME280 {@code env} with
 * its metrics {@code temperature}, {@code humidity}, {@code pressure}; an output with {@code on} or {@code duty}, which
 * a host may write; an input with {@code active}), each metric with an alias unique in the node, given in the order of
 * the configuration so a rebirth gives the same aliases.
 */
final class SparkplugModel {
    /** One metric of one Sparkplug device. */
    record Point(String device, String metric, MetricDataType type, long alias, boolean writable, String channel) {
    }

    private final Map<String, List<Point>> devices = new LinkedHashMap<>();
    private final Map<String, Point> byChannel = new LinkedHashMap<>();

    SparkplugModel(AgentConfig config, List<Capability> capabilities) {
        long alias = 10; // below are the node's own metrics (bdSeq, Node Control/Rebirth)
        for (DeviceSpec spec : config.hardware().board().devices()) {
            List<Point> points = new ArrayList<>();
            switch (spec) {
                case DigitalOutputSpec out -> points.add(new Point(out.name(), "on", MetricDataType.Boolean, alias++,
                        true, null));
                case PwmOutputSpec pwm -> points.add(new Point(pwm.name(), "duty", MetricDataType.Int32, alias++,
                        true, null));
                case DigitalInputSpec in -> points.add(new Point(in.name(), "active", MetricDataType.Boolean, alias++,
                        false, null));
                default -> {
                    for (Capability c : capabilities) {
                        if (c.kind() == Capability.Kind.SENSOR && c.name().startsWith(spec.name() + "-")) {
                            String metric = c.name().substring(spec.name().length() + 1);
                            Point p = new Point(spec.name(), metric, MetricDataType.Double, alias++, false, c.name());
                            points.add(p);
                            byChannel.put(c.name(), p);
                        }
                    }
                }
            }
            if (!points.isEmpty()) {
                devices.put(spec.name(), List.copyOf(points));
            }
        }
    }

    Map<String, List<Point>> devices() {
        return devices;
    }

    Optional<Point> channel(String channel) {
        return Optional.ofNullable(byChannel.get(channel));
    }

    /** The point {@code name} (or {@code alias}) of {@code device}. */
    Optional<Point> point(String device, String name, Long alias) {
        return devices.getOrDefault(device, List.of()).stream().filter(p -> p.metric().equals(name)
                || (alias != null && p.alias() == alias)).findFirst();
    }
}
