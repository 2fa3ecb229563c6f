package dev.edgekit.agent.interop;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgekit.agent.config.AgentConfig;
import dev.edgekit.hardware.spec.DeviceSpec;
import dev.edgekit.hardware.spec.DigitalInputSpec;
import dev.edgekit.hardware.spec.DigitalOutputSpec;
import dev.edgekit.hardware.spec.InputKind;
import dev.edgekit.hardware.spec.PwmOutputSpec;
import dev.edgekit.protocol.message.Birth;
import dev.edgekit.protocol.message.Capability;
import dev.edgekit.protocol.topic.Topics;
import java.time.Duration;
import java.util.List;

/**
 * One device's Home Assistant MQTT discovery message in the device-based form (Home Assistant 2024.11 and later):
 * the {@code device} and {@code origin} blocks once, and a {@code components} map with one entity per sensor channel,
 * output and binary input, plus a connectivity sensor. Values are read from edgekit's own topics through templates;
 * the only topics added for Home Assistant are the retained output and input states and the plain {@code …/set}
 * commands, because a switch needs one topic that carries both of its states and a command topic without MQTT 5.
 */
final class DiscoveryDocument {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Whatever the cause, a reading this many sampling intervals (or heartbeats) old is shown as unavailable. */
    static final int EXPIRE_AFTER_INTERVALS = 3;

    private DiscoveryDocument() {
    }

    /** The discovery topic: the object id is the device id, as the broker's ACL lets only the device write it. */
    static String topic(String discoveryPrefix, String deviceId) {
        return discoveryPrefix + "/device/" + deviceId + "/config";
    }

    static ObjectNode of(AgentConfig config, Birth.Board board, List<Capability> capabilities, String software) {
        String site = config.site();
        String id = config.id();
        String prefix = "edgekit_" + site + "_" + id + "_";
        ObjectNode root = JSON.createObjectNode();
        ObjectNode device = root.putObject("device");
        device.putArray("identifiers").add("edgekit_" + site + "_" + id);
        device.put("name", config.name() != null ? config.name() : id);
        device.put("manufacturer", "edgekit");
        device.put("model", board.model());
        if (board.serial() != null) {
            device.put("serial_number", board.serial());
        }
        device.put("sw_version", software);
        ObjectNode origin = root.putObject("origin");
        origin.put("name", "edgekit");
        origin.put("sw_version", software);
        origin.put("support_url", "https://github.com/edgekit/edgekit");
        root.put("qos", 1);

        ObjectNode components = root.putObject("components");
        String state = Topics.state(site, id).topic();
        long expireAfter = expireAfterSeconds(config);
        for (Capability c : capabilities) {
            if (c.kind() != Capability.Kind.SENSOR) {
                continue;
            }
            ObjectNode sensor = entity(components, c.name(), "sensor", prefix, state);
            sensor.put("name", c.name());
            sensor.put("state_topic", Topics.telemetry(site, id, c.name()).topic());
            sensor.put("value_template", "{{ value_json.value }}");
            sensor.put("state_class", "measurement");
            sensor.put("expire_after", expireAfter);
            unit(sensor, c.unit());
        }
        for (DeviceSpec spec : config.hardware().board().devices()) {
            switch (spec) {
                case DigitalOutputSpec out -> {
                    ObjectNode sw = entity(components, out.name(), "switch", prefix, state);
                    sw.put("name", out.name());
                    sw.put("command_topic", Topics.outputSet(site, id, out.name()));
                    sw.put("state_topic", Topics.output(site, id, out.name()).topic());
                    sw.put("value_template", "{{ 'ON' if value_json.on else 'OFF' }}");
                    sw.put("payload_on", "ON");
                    sw.put("payload_off", "OFF");
                }
                case PwmOutputSpec pwm -> {
                    ObjectNode number = entity(components, pwm.name(), "number", prefix, state);
                    number.put("name", pwm.name());
                    number.put("command_topic", Topics.outputSet(site, id, pwm.name()));
                    number.put("state_topic", Topics.output(site, id, pwm.name()).topic());
                    number.put("value_template", "{{ value_json.duty }}");
                    number.put("min", 0).put("max", 100).put("step", 1).put("mode", "slider");
                    number.put("unit_of_measurement", "%");
                }
                case DigitalInputSpec in -> {
                    ObjectNode binary = entity(components, in.name(), "binary_sensor", prefix, state);
                    binary.put("name", in.name());
                    binary.put("state_topic", Topics.input(site, id, in.name()).topic());
                    binary.put("value_template", "{{ 'ON' if value_json.active else 'OFF' }}");
                    if (in.inputKind() == InputKind.MOTION) {
                        binary.put("device_class", "motion");
                    }
                }
                default -> {
                    // sensors come from the capabilities above, one entity per channel
                }
            }
        }
        // connectivity reads the state topic itself, without availability: offline shows as off, not unavailable
        ObjectNode online = components.putObject("connectivity");
        online.put("platform", "binary_sensor");
        online.put("unique_id", prefix + "connectivity");
        online.put("name", "connectivity");
        online.put("device_class", "connectivity");
        online.put("entity_category", "diagnostic");
        online.put("state_topic", state);
        online.put("value_template", "{{ 'ON' if value_json.status == 'online' else 'OFF' }}");
        return root;
    }

    /** A component with its platform, unique id and availability bound to the device's retained state. */
    private static ObjectNode entity(ObjectNode components, String name, String platform, String prefix,
            String stateTopic) {
        ObjectNode entity = components.putObject(name);
        entity.put("platform", platform);
        entity.put("unique_id", prefix + name);
        ObjectNode availability = entity.putArray("availability").addObject();
        availability.put("topic", stateTopic);
        // the birth says "online"; the Will and a clean stop say "offline" (or "lost" after a heartbeat timeout)
        availability.put("value_template", "{{ 'online' if value_json.status == 'online' else 'offline' }}");
        availability.put("payload_available", "online");
        availability.put("payload_not_available", "offline");
        return entity;
    }

    /** Home Assistant's device class and unit for ours; a unit it does not know stays as is, without a class. */
    private static void unit(ObjectNode sensor, String unit) {
        if (unit == null) {
            return;
        }
        switch (unit) {
            case "°C" -> sensor.put("device_class", "temperature").put("unit_of_measurement", "°C");
            case "%RH" -> sensor.put("device_class", "humidity").put("unit_of_measurement", "%");
            case "hPa" -> sensor.put("device_class", "atmospheric_pressure").put("unit_of_measurement", "hPa");
            default -> sensor.put("unit_of_measurement", unit);
        }
    }

    /** {@link #EXPIRE_AFTER_INTERVALS} of the slowest sampling interval or of the heartbeat, whichever is longer. */
    static long expireAfterSeconds(AgentConfig config) {
        Duration slowest = config.hardware().intervals().values().stream().reduce(config.hardware().interval(),
                (a, b) -> a.compareTo(b) >= 0 ? a : b);
        Duration longest = slowest.compareTo(config.heartbeatInterval()) >= 0 ? slowest : config.heartbeatInterval();
        return Math.max(1, (long) Math.ceil(longest.multipliedBy(EXPIRE_AFTER_INTERVALS).toMillis() / 1000.0));
    }
}
