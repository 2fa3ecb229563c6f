package dev.edgekit.agent.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgekit.agent.config.AgentConfig;
import dev.edgekit.agent.config.HardwareConfig;
import dev.edgekit.agent.runtime.Agent;
import dev.edgekit.agent.runtime.AgentEnvironment;
import dev.edgekit.hardware.board.Boards;
import dev.edgekit.hardware.board.SimulatedBoard;
import dev.edgekit.hardware.board.SimulationSettings;
import dev.edgekit.hardware.spec.BoardSpec;
import dev.edgekit.hardware.spec.DigitalInputSpec;
import dev.edgekit.hardware.spec.DigitalOutputSpec;
import dev.edgekit.hardware.spec.Frequency;
import dev.edgekit.hardware.spec.PwmOutputSpec;
import dev.edgekit.hardware.spec.Bme280Spec;
import dev.edgekit.testkit.BrokerExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An agent with {@code interop.homeAssistant: true} on a real Mosquitto, seen and driven only by Mosquitto's own
 * clients speaking MQTT 3.1.1, as Home Assistant and Node-RED do: the retained discovery message, the plain output
 * commands and their retained states, inputs, and re-publication when Home Assistant comes online.
 */
@Timeout(90)
class HomeAssistantIT {
    @RegisterExtension
    static final BrokerExtension broker = BrokerExtension.mosquitto();

    private static final String SITE = "ha";
    private static final BoardSpec SPEC = BoardSpec.of(Bme280Spec.onBus1("env"), DigitalOutputSpec.led("status", 22),
            new PwmOutputSpec("fan", 18, Frequency.ofKilohertz(25)), DigitalInputSpec.button("door", 17));

    private final ObjectMapper json = new ObjectMapper();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private String id;
    private SimulatedBoard board;
    private Agent agent;

    @BeforeEach
    void start() throws Exception {
        id = "ha-" + Long.toHexString(System.nanoTime());
        Clock clock = Clock.systemUTC();
        board = Boards.openSimulated(SPEC, clock, scheduler, SimulationSettings.seeded(3).withConstantSignals());
        AgentConfig config = new AgentConfig(SITE, id, "Hall", AgentConfig.BrokerConfig.of(broker.uri()),
                Duration.ofSeconds(1), AgentConfig.BoardKind.SIMULATED, HardwareConfig.of(SPEC),
                Path.of("target", "it-state", id)).withInterop(new AgentConfig.Interop(true, "homeassistant", null));
        agent = Agent.create(config, AgentEnvironment.of(clock, scheduler, new SplittableRandom(1), "it"), board);
        agent.start().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        agent.stop(Duration.ofSeconds(2));
        scheduler.shutdownNow();
    }

    /** Runs a Mosquitto client (MQTT 3.1.1) and returns what it printed. */
    private String client(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(args));
        command.addAll(List.of("-h", "127.0.0.1", "-p", String.valueOf(broker.broker().port()), "-V", "mqttv311"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(process.waitFor(15, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    }

    /** The retained message on {@code topic}, read by a fresh mosquitto_sub. */
    private JsonNode retained(String topic) throws Exception {
        String text = client("mosquitto_sub", "-t", topic, "-C", "1", "-W", "3", "--retained-only");
        assertThat(text).as("retained message on %s", topic).isNotEmpty();
        return json.readTree(text);
    }

    private String base() {
        return "edgekit/v1/" + SITE + "/" + id;
    }

    @Test
    void homeAssistantFindsTheDeviceByItsRetainedDiscoveryMessage() throws Exception {
        await().atMost(Duration.ofSeconds(15)).ignoreExceptions().untilAsserted(() ->
                assertThat(retained("homeassistant/device/" + id + "/config").has("device")).isTrue());
        JsonNode discovery = retained("homeassistant/device/" + id + "/config");

        assertThat(discovery.get("device").get("name").asText()).isEqualTo("Hall");
        assertThat(discovery.get("origin").get("name").asText()).isEqualTo("edgekit");
        JsonNode components = discovery.get("components");
        assertThat(components.get("env-temperature").get("state_topic").asText())
                .isEqualTo(base() + "/telemetry/env-temperature");
        assertThat(components.get("fan").get("command_topic").asText()).isEqualTo(base() + "/output/fan/set");
        assertThat(components.get("door").get("state_topic").asText()).isEqualTo(base() + "/input/door");
    }

    @Test
    void plainCommandsFromAnMqtt311ClientDriveTheOutputsAndTheirRetainedStateFollows() throws Exception {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(retained(base() + "/output/fan").get("duty").asInt()).isZero());

        client("mosquitto_pub", "-t", base() + "/output/fan/set", "-m", "40", "-q", "1");
        client("mosquitto_pub", "-t", base() + "/output/status/set", "-m", "ON", "-q", "1");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(retained(base() + "/output/fan").get("duty").asInt()).isEqualTo(40);
            assertThat(retained(base() + "/output/status").get("on").asBoolean()).isTrue();
        });
        assertThat(board.actuator("fan").orElseThrow().state().dutyCyclePercent()).isEqualTo(40);
    }

    @Test
    void aBadPlainCommandChangesNothingAndIsCounted() throws Exception {
        long rejected = agent.hardwareStatus().commandsRejected();
        client("mosquitto_pub", "-t", base() + "/output/fan/set", "-m", "150", "-q", "1");
        client("mosquitto_pub", "-t", base() + "/output/fan/set", "-m", "faster", "-q", "1");
        client("mosquitto_pub", "-t", base() + "/output/nothing/set", "-m", "ON", "-q", "1");

        await().atMost(Duration.ofSeconds(10)).until(() -> agent.hardwareStatus().commandsRejected() == rejected + 3);
        assertThat(board.actuator("fan").orElseThrow().state().dutyCyclePercent()).isZero();
        assertThat(retained(base() + "/output/fan").get("duty").asInt()).isZero();
    }

    @Test
    void aButtonEdgeIsARetainedInputState() throws Exception {
        board.input("door").setActive(true);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(retained(base() + "/input/door").get("active").asBoolean()).isTrue());
        board.input("door").setActive(false);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(retained(base() + "/input/door").get("active").asBoolean()).isFalse());
    }

    @Test
    void theDiscoveryIsPublishedAgainWhenHomeAssistantComesOnlineAndJunkThereIsIgnored() throws Exception {
        client("mosquitto_sub", "-t", "homeassistant/device/" + id + "/config", "-C", "1", "-W", "10");
        client("mosquitto_pub", "-t", "homeassistant/device/" + id + "/config", "-r", "-n"); // HA lost it
        client("mosquitto_pub", "-t", "homeassistant/status", "-m", "rebooting");
        client("mosquitto_pub", "-t", "homeassistant/status", "-m", "online");

        await().atMost(Duration.ofSeconds(15)).ignoreExceptions().untilAsserted(() -> assertThat(
                retained("homeassistant/device/" + id + "/config").get("device").get("name").asText())
                .isEqualTo("Hall"));
    }
}
