package dev.edgekit.agent.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgekit.hardware.spec.ActiveLevel;
import dev.edgekit.hardware.spec.Bme280Spec;
import dev.edgekit.hardware.spec.BoardSpec;
import dev.edgekit.hardware.spec.DeviceSpec;
import dev.edgekit.hardware.spec.DigitalInputSpec;
import dev.edgekit.hardware.spec.DigitalOutputSpec;
import dev.edgekit.hardware.spec.Ds18b20Spec;
import dev.edgekit.hardware.spec.Frequency;
import dev.edgekit.hardware.spec.InputKind;
import dev.edgekit.hardware.spec.OutputKind;
import dev.edgekit.hardware.spec.Pull;
import dev.edgekit.hardware.spec.PwmOutputSpec;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps the {@code hardware:} section onto the hardware module's {@link BoardSpec}, strictly: unknown keys and types,
 * missing pins, bad addresses, frequencies and durations are errors naming the entry
 * ({@code hardware.devices.env.address: ...}). Whether a pin or bus exists on the board is not checked here: opening
 * the board does that, per device, and reports the device unavailable while the others work.
 */
final class HardwareSection {
    private static final Set<String> TOP = Set.of("interval", "devices", "simulation");
    private static final Set<String> SIMULATION = Set.of("seed", "absent");
    private static final Map<String, Set<String>> KEYS = Map.of(
            "bme280", Set.of("type", "interval", "bus", "address"),
            "ds18b20", Set.of("type", "interval", "sensor-id", "w1-directory"),
            "button", Set.of("type", "pin", "pull", "active", "debounce"),
            "motion", Set.of("type", "pin", "pull", "active", "debounce"),
            "led", Set.of("type", "pin", "active"),
            "relay", Set.of("type", "pin", "active"),
            "pwm", Set.of("type", "pin", "frequency"));
    private static final Pattern FREQUENCY = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(Hz|kHz|MHz)?");
    private static final Pattern HEX = Pattern.compile("0[xX]([0-9a-fA-F]{1,4})");

    private HardwareSection() {
    }

    static HardwareConfig read(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return HardwareConfig.none();
        }
        keys(node, TOP, "hardware");
        Duration interval = duration(node.get("interval"), "hardware.interval", HardwareConfig.DEFAULT_INTERVAL);
        JsonNode devicesNode = node.path("devices");
        List<DeviceSpec> devices = new ArrayList<>();
        Map<String, Duration> intervals = new LinkedHashMap<>();
        Claims claims = new Claims();
        if (!devicesNode.isMissingNode() && !devicesNode.isNull()) {
            if (!devicesNode.isObject()) {
                throw new ConfigException("hardware.devices: expected a mapping from entry name to device");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = devicesNode.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String entry = "hardware.devices." + e.getKey();
                if (!DeviceSpec.NAME.matcher(e.getKey()).matches()) {
                    throw new ConfigException(entry + ": an entry name is 1-41 of a-z, 0-9 and '-', starting with a"
                            + " letter or digit (it becomes part of topic names)");
                }
                DeviceSpec spec = device(e.getKey(), e.getValue(), entry);
                claims.claim(spec, entry);
                devices.add(spec);
                JsonNode every = e.getValue().get("interval");
                if (every != null && !every.isNull()) {
                    intervals.put(e.getKey(), positive(duration(every, entry + ".interval", null), entry + ".interval"));
                }
            }
        }
        HardwareConfig.Simulation simulation = simulation(node.path("simulation"));
        return new HardwareConfig(new BoardSpec(devices), positive(interval, "hardware.interval"), intervals,
                simulation);
    }

    private static DeviceSpec device(String name, JsonNode node, String entry) {
        if (node == null || !node.isObject()) {
            throw new ConfigException(entry + ": expected a mapping like { type: bme280, bus: 1, address: 0x76 }");
        }
        JsonNode typeNode = node.get("type");
        if (typeNode == null || !typeNode.isTextual()) {
            throw new ConfigException(entry + ".type: required (one of " + new TreeSet<>(KEYS.keySet()) + ")");
        }
        String type = typeNode.asText();
        Set<String> known = KEYS.get(type);
        if (known == null) {
            throw new ConfigException(entry + ".type: unknown device type '" + type + "' (known: "
                    + new TreeSet<>(KEYS.keySet()) + ")");
        }
        keys(node, known, entry);
        try {
            return switch (type) {
                case "bme280" -> {
                    int address = address(node.get("address"), entry + ".address", Bme280Spec.PRIMARY_ADDRESS);
                    if (address != Bme280Spec.PRIMARY_ADDRESS && address != Bme280Spec.SECONDARY_ADDRESS) {
                        throw new ConfigException(entry + ".address: a BME280 answers at 0x76 (SDO to GND) or 0x77"
                                + " (SDO to 3V3), not 0x" + Integer.toHexString(address));
                    }
                    yield new Bme280Spec(name, integer(node.get("bus"), entry + ".bus", 1), address);
                }
                case "ds18b20" -> {
                    JsonNode id = node.get("sensor-id");
                    if (id == null || !id.isTextual() || !id.asText().matches("28-[0-9a-f]{12}")) {
                        throw new ConfigException(entry + ".sensor-id: " + (id == null ? "required" : "'" + id.asText()
                                + "' is not a DS18B20 id") + " (like 28-0316a2795aff; see ls /sys/bus/w1/devices)");
                    }
                    yield new Ds18b20Spec(name, id.asText(), path(node.get("w1-directory"), entry + ".w1-directory",
                            Ds18b20Spec.DEFAULT_W1_DIRECTORY));
                }
                case "button", "motion" -> {
                    boolean button = type.equals("button");
                    Duration debounce = duration(node.get("debounce"), entry + ".debounce",
                            button ? Duration.ofMillis(20) : Duration.ZERO);
                    if (debounce.isNegative() || debounce.compareTo(Duration.ofSeconds(10)) > 0) {
                        throw new ConfigException(entry + ".debounce: must be between 0 and 10s, was "
                                + Durations.format(debounce));
                    }
                    yield new DigitalInputSpec(name, button ? InputKind.BUTTON : InputKind.MOTION,
                            pin(node, entry), pull(node.get("pull"), entry + ".pull", button ? Pull.UP : Pull.DOWN),
                            level(node.get("active"), entry + ".active", button ? ActiveLevel.LOW : ActiveLevel.HIGH),
                            debounce);
                }
                case "led", "relay" -> new DigitalOutputSpec(name, type.equals("led") ? OutputKind.LED : OutputKind.RELAY,
                        pin(node, entry), level(node.get("active"), entry + ".active", ActiveLevel.HIGH));
                case "pwm" -> new PwmOutputSpec(name, pin(node, entry),
                        frequency(node.get("frequency"), entry + ".frequency", Frequency.ofKilohertz(25)));
                default -> throw new IllegalStateException("type " + type);
            };
        } catch (IllegalArgumentException e) {
            // what the hardware module's own checks refuse; its message names the entry too
            throw new ConfigException(entry + ": " + e.getMessage(), e);
        }
    }

    private static HardwareConfig.Simulation simulation(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return HardwareConfig.Simulation.DEFAULT;
        }
        keys(node, SIMULATION, "hardware.simulation");
        JsonNode seedNode = node.get("seed");
        OptionalLong seed = OptionalLong.empty();
        if (seedNode != null && !seedNode.isNull()) {
            if (!seedNode.canConvertToLong() || !seedNode.isIntegralNumber()) {
                throw new ConfigException("hardware.simulation.seed: expected a whole number, was '"
                        + seedNode.asText() + "'");
            }
            seed = OptionalLong.of(seedNode.longValue());
        }
        Set<String> absent = new LinkedHashSet<>();
        JsonNode absentNode = node.path("absent");
        if (!absentNode.isMissingNode() && !absentNode.isNull()) {
            if (!absentNode.isArray()) {
                throw new ConfigException("hardware.simulation.absent: expected a list of entry names");
            }
            absentNode.forEach(a -> absent.add(a.asText()));
        }
        return new HardwareConfig.Simulation(seed, absent);
    }

    private static void keys(JsonNode node, Set<String> known, String where) {
        if (!node.isObject()) {
            throw new ConfigException(where + ": expected a mapping");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new ConfigException(where + "." + name + ": unknown key (known: " + new TreeSet<>(known) + ")");
            }
        }
    }

    private static int pin(JsonNode node, String entry) {
        JsonNode pin = node.get("pin");
        if (pin == null || pin.isNull()) {
            throw new ConfigException(entry + ".pin: required (the BCM GPIO number, e.g. 17 for header pin 11)");
        }
        int value = integer(pin, entry + ".pin", -1);
        if (value < 0) {
            throw new ConfigException(entry + ".pin: a BCM GPIO number is 0 or more, was " + value);
        }
        if (value > MAX_GPIO) {
            throw new ConfigException(entry + ".pin: " + value + " is not a GPIO of the 40-pin header (BCM 0-"
                    + MAX_GPIO + ")");
        }
        return value;
    }

    /** The 40-pin header of every Raspberry Pi since the B+ brings out BCM GPIO 0 to 27. */
    static final int MAX_GPIO = 27;

    /**
     * What each entry occupies: a GPIO pin, or an I2C address on a bus. Two entries on one pin or one address would
     * fight over it (the second open fails, or both read the same chip), so the second is refused by name.
     */
    private static final class Claims {
        private final Map<String, String> owners = new java.util.HashMap<>();

        void claim(DeviceSpec spec, String entry) {
            switch (spec) {
                case DigitalInputSpec d -> take("pin", "GPIO " + d.pin(), entry);
                case DigitalOutputSpec d -> take("pin", "GPIO " + d.pin(), entry);
                case PwmOutputSpec d -> take("pin", "GPIO " + d.pin(), entry);
                case Bme280Spec d -> take("address", String.format(Locale.ROOT, "I2C address 0x%02x on bus %d",
                        d.address(), d.bus()), entry);
                case Ds18b20Spec d -> take("sensor-id", "1-Wire sensor " + d.sensorId(), entry);
            }
        }

        private void take(String key, String resource, String entry) {
            String owner = owners.putIfAbsent(resource, entry);
            if (owner != null) {
                throw new ConfigException(entry + "." + key + ": " + resource + " is already used by " + owner);
            }
        }
    }

    private static int integer(JsonNode node, String where, int fallback) {
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw new ConfigException(where + ": expected a whole number, was '" + node.asText() + "'");
        }
        return node.intValue();
    }

    /** An I2C address: {@code 0x76} (YAML may have read it as the number 118 already) or a decimal number. */
    static int address(JsonNode node, String where, int fallback) {
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (node.isIntegralNumber() && node.canConvertToInt()) {
            return node.intValue();
        }
        Matcher hex = HEX.matcher(node.asText().strip());
        if (node.isTextual() && hex.matches()) {
            return Integer.parseInt(hex.group(1), 16);
        }
        throw new ConfigException(where + ": '" + node.asText() + "' is not an I2C address (write e.g. 0x76)");
    }

    /** A frequency in whole hertz: {@code 25kHz}, {@code 50 Hz}, {@code 1.5kHz}, or a bare number of hertz. */
    static Frequency frequency(JsonNode node, String where, Frequency fallback) {
        if (node == null || node.isNull()) {
            return fallback;
        }
        Matcher m = FREQUENCY.matcher(node.asText().strip());
        if (!m.matches()) {
            throw new ConfigException(where + ": '" + node.asText() + "' is not a frequency (write e.g. 25kHz or 50Hz)");
        }
        double multiplier = m.group(2) == null || m.group(2).equals("Hz") ? 1 : m.group(2).equals("kHz") ? 1e3 : 1e6;
        double hertz = Double.parseDouble(m.group(1)) * multiplier;
        if (hertz < 1 || hertz > Integer.MAX_VALUE || Math.abs(hertz - Math.rint(hertz)) > 1e-6) {
            throw new ConfigException(where + ": '" + node.asText() + "' is not a whole number of hertz of at least 1");
        }
        return Frequency.ofHertz((int) Math.rint(hertz));
    }

    private static Duration duration(JsonNode node, String where, Duration fallback) {
        if (node == null || node.isNull()) {
            return fallback;
        }
        try {
            return node.isNumber() ? Duration.ofMillis(Math.round(node.asDouble() * 1000)) // a bare number: seconds
                    : Durations.parse(node.asText());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + ": " + e.getMessage());
        }
    }

    private static Duration positive(Duration d, String where) {
        if (d.isNegative() || d.isZero()) {
            throw new ConfigException(where + ": must be a positive duration, was " + Durations.format(d));
        }
        return d;
    }

    private static Pull pull(JsonNode node, String where, Pull fallback) {
        if (node == null || node.isNull()) {
            return fallback;
        }
        // YAML 1.1 reads a bare "off" as false
        String text = node.isBoolean() && !node.booleanValue() ? "off" : node.asText().toLowerCase(Locale.ROOT);
        return switch (text) {
            case "up" -> Pull.UP;
            case "down" -> Pull.DOWN;
            case "off", "none" -> Pull.OFF;
            default -> throw new ConfigException(where + ": '" + node.asText() + "' is not up, down or off");
        };
    }

    private static ActiveLevel level(JsonNode node, String where, ActiveLevel fallback) {
        if (node == null || node.isNull()) {
            return fallback;
        }
        return switch (node.asText().toLowerCase(Locale.ROOT)) {
            case "high" -> ActiveLevel.HIGH;
            case "low" -> ActiveLevel.LOW;
            default -> throw new ConfigException(where + ": '" + node.asText() + "' is not high or low");
        };
    }

    private static Path path(JsonNode node, String where, Path fallback) {
        if (node == null || node.isNull()) {
            return fallback;
        }
        try {
            return Path.of(node.asText());
        } catch (InvalidPathException e) {
            throw new ConfigException(where + ": '" + node.asText() + "' is not a path");
        }
    }
}
