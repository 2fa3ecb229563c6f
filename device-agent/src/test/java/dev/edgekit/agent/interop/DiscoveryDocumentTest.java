package dev.edgekit.agent.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgekit.agent.config.AgentConfig;
import dev.edgekit.agent.config.HardwareConfig;
import dev.edgekit.hardware.spec.Bme280Spec;
import dev.edgekit.hardware.spec.BoardSpec;
import dev.edgekit.hardware.spec.DigitalInputSpec;
import dev.edgekit.hardware.spec.DigitalOutputSpec;
import dev.edgekit.hardware.spec.Frequency;
import dev.edgekit.hardware.spec.PwmOutputSpec;
import dev.edgekit.protocol.message.Birth;
import dev.edgekit.protocol.message.Capability;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Our discovery message against Home Assistant's documented example and rules (see resources/homeassistant). */
class DiscoveryDocumentTest {
    /** Home Assistant's abbreviations used in the example, and the names we write out. */
    private static final Map<String, String> ABBREVIATIONS = Map.of("dev", "device", "o", "origin", "cmps",
            "components", "p", "platform", "ids", "identifiers", "mf", "manufacturer", "mdl", "model", "sw",
            "sw_version", "sn", "serial_number", "hw", "hw_version");
    private static final Set<String> SHARED_OPTIONS = Set.of("device", "origin", "components", "availability",
            "command_topic", "state_topic", "qos", "encoding");

    private final ObjectMapper json = new ObjectMapper();

    private static final BoardSpec SPEC = BoardSpec.of(Bme280Spec.onBus1("env"), DigitalOutputSpec.led("status", 22),
            new PwmOutputSpec("fan", 18, Frequency.ofKilohertz(25)), DigitalInputSpec.button("door", 17),
            DigitalInputSpec.motion("hall", 27));

    private JsonNode ours() {
        AgentConfig config = new AgentConfig("lab1", "pi-01", "Greenhouse 1",
                AgentConfig.BrokerConfig.of("tcp://127.0.0.1:1883"), Duration.ofSeconds(5),
                AgentConfig.BoardKind.SIMULATED, HardwareConfig.of(SPEC).withInterval(Duration.ofSeconds(2)),
                Path.of("state"));
        List<Capability> capabilities = List.of(Capability.sensor("env-temperature", "°C"),
                Capability.sensor("env-humidity", "%RH"), Capability.sensor("env-pressure", "hPa"),
                Capability.actuator("status", null), Capability.actuator("fan", "%"), Capability.command("set"));
        return DiscoveryDocument.of(config, new Birth.Board("Raspberry Pi 4 Model B", "10000000abcd"), capabilities,
                "0.1.0");
    }

    private JsonNode example() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/homeassistant/device-discovery-example.json")) {
            return expand(json.readTree(in));
        }
    }

    /** The example with its abbreviations written out, as Home Assistant reads it. */
    private JsonNode expand(JsonNode node) {
        if (!node.isObject()) {
            return node;
        }
        var out = json.createObjectNode();
        node.fields().forEachRemaining(e -> out.set(ABBREVIATIONS.getOrDefault(e.getKey(), e.getKey()),
                expand(e.getValue())));
        return out;
    }

    private static Set<String> keys(JsonNode node) {
        Set<String> keys = new HashSet<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    @Test
    void theRootHasOnlyTheSharedOptionsTheDocumentationAllows() throws Exception {
        assertThat(SHARED_OPTIONS).containsAll(keys(example())); // the rule holds for the example itself
        assertThat(SHARED_OPTIONS).containsAll(keys(ours()));
        assertThat(keys(ours())).contains("device", "origin", "components");
    }

    @Test
    void theDeviceAndOriginBlocksUseTheExamplesFields() throws Exception {
        JsonNode device = ours().get("device");
        assertThat(keys(example().get("device"))).containsAll(keys(device));
        assertThat(device.get("identifiers").get(0).asText()).isEqualTo("edgekit_lab1_pi-01");
        assertThat(device.get("name").asText()).isEqualTo("Greenhouse 1");
        assertThat(device.get("model").asText()).isEqualTo("Raspberry Pi 4 Model B");
        assertThat(device.get("serial_number").asText()).isEqualTo("10000000abcd");
        assertThat(ours().get("origin").get("name").asText()).isEqualTo("edgekit");
        assertThat(keys(ours().get("origin"))).isSubsetOf("name", "sw_version", "support_url");
    }

    @Test
    void aSensorComponentHasTheExamplesFieldsWithOurTopicAndTemplate() throws Exception {
        JsonNode exampleSensor = example().get("components").get("some_unique_component_id1");
        JsonNode temperature = ours().get("components").get("env-temperature");

        assertThat(keys(temperature)).containsAll(keys(exampleSensor));
        assertThat(temperature.get("platform").asText()).isEqualTo("sensor");
        assertThat(temperature.get("device_class").asText()).isEqualTo(exampleSensor.get("device_class").asText());
        assertThat(temperature.get("unit_of_measurement").asText()).isEqualTo("°C");
        assertThat(temperature.get("state_topic").asText()).isEqualTo("edgekit/v1/lab1/pi-01/telemetry/env-temperature");
        assertThat(temperature.get("value_template").asText()).isEqualTo("{{ value_json.value }}");
        assertThat(temperature.get("state_class").asText()).isEqualTo("measurement");
        assertThat(temperature.get("expire_after").asLong()).isEqualTo(15); // 3 heartbeats of 5 s > 3 samples of 2 s
        JsonNode humidity = ours().get("components").get("env-humidity");
        assertThat(humidity.get("device_class").asText()).isEqualTo("humidity");
        assertThat(humidity.get("unit_of_measurement").asText()).isEqualTo("%"); // Home Assistant's unit, not %RH
    }

    @Test
    void everyComponentHasAPlatformAndAUniqueIdAndEntitiesFollowTheDevicesState() throws Exception {
        JsonNode components = ours().get("components");
        assertThat(keys(components)).containsExactlyInAnyOrder("env-temperature", "env-humidity", "env-pressure",
                "status", "fan", "door", "hall", "connectivity");
        Set<String> uniqueIds = new HashSet<>();
        components.fields().forEachRemaining(e -> {
            assertThat(e.getValue().has("platform")).as(e.getKey()).isTrue();
            assertThat(uniqueIds.add(e.getValue().get("unique_id").asText())).as(e.getKey()).isTrue();
            if (!e.getKey().equals("connectivity")) {
                JsonNode availability = e.getValue().get("availability").get(0);
                assertThat(availability.get("topic").asText()).isEqualTo("edgekit/v1/lab1/pi-01/state");
                assertThat(availability.get("payload_available").asText()).isEqualTo("online");
            }
        });
    }

    @Test
    void outputsAreASwitchAndANumberWithPlainCommandTopicsAndInputsBinarySensors() {
        JsonNode components = ours().get("components");
        JsonNode led = components.get("status");
        assertThat(led.get("platform").asText()).isEqualTo("switch");
        assertThat(led.get("command_topic").asText()).isEqualTo("edgekit/v1/lab1/pi-01/output/status/set");
        assertThat(led.get("state_topic").asText()).isEqualTo("edgekit/v1/lab1/pi-01/output/status");
        assertThat(led.get("payload_on").asText()).isEqualTo("ON");
        JsonNode fan = components.get("fan");
        assertThat(fan.get("platform").asText()).isEqualTo("number");
        assertThat(fan.get("min").asInt()).isZero();
        assertThat(fan.get("max").asInt()).isEqualTo(100);
        assertThat(fan.get("value_template").asText()).isEqualTo("{{ value_json.duty }}");
        assertThat(components.get("door").get("platform").asText()).isEqualTo("binary_sensor");
        assertThat(components.get("door").get("state_topic").asText()).isEqualTo("edgekit/v1/lab1/pi-01/input/door");
        assertThat(components.get("hall").get("device_class").asText()).isEqualTo("motion");
        JsonNode online = components.get("connectivity");
        assertThat(online.get("device_class").asText()).isEqualTo("connectivity");
        assertThat(online.has("availability")).isFalse();
    }

    @Test
    void theTopicIsTheDeviceBasedOne() {
        assertThat(DiscoveryDocument.topic("homeassistant", "pi-01")).isEqualTo("homeassistant/device/pi-01/config");
    }
}
