package dev.edgekit.console;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgekit.agent.config.AgentConfig;
import dev.edgekit.agent.runtime.Agent;
import dev.edgekit.agent.runtime.AgentEnvironment;
import dev.edgekit.protocol.message.Codec;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.protocol.mqtt.Outgoing;
import dev.edgekit.testkit.BrokerExtension;
import dev.edgekit.testkit.Closer;
import dev.edgekit.ubiquitous.registry.DeviceView;
import dev.edgekit.ubiquitous.registry.Registry;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A small fleet on a real Mosquitto, watched the way operators watch it. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class FleetIT {
    private static final Duration KEEPALIVE = Duration.ofSeconds(2);

    @RegisterExtension
    final BrokerExtension broker = BrokerExtension.mosquitto();

    @TempDir
    Path dir;

    @RegisterExtension
    final Closer cleanup = new Closer();

    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);

    {
        cleanup.add(scheduler::shutdownNow); // registered first, so closed last
    }

    private AgentConfig config(String id) {
        return new AgentConfig("lab1", id, "Agent " + id, new AgentConfig.BrokerConfig(List.of(broker.uri()),
                KEEPALIVE, Duration.ZERO, null, null), Duration.ofSeconds(1), AgentConfig.BoardKind.SIMULATED,
                dev.edgekit.agent.config.HardwareConfig.of(dev.edgekit.hardware.spec.BoardSpec.of(
                        dev.edgekit.hardware.spec.Bme280Spec.onBus1("env"))).withInterval(Duration.ofMillis(300)),
                dir.resolve(id));
    }

    private Agent inProcessAgent(String id) {
        Agent agent = Agent.create(config(id),
                AgentEnvironment.of(Clock.systemUTC(), scheduler, RandomGenerator.of("L64X128MixRandom"), "test"));
        cleanup.add(agent);
        agent.start();
        return agent;
    }

    private Process childAgent(String id) throws Exception {
        Path yaml = dir.resolve(id + ".yaml");
        Files.writeString(yaml, """
                site: lab1
                id: %s
                board: simulated
                heartbeat: 1s
                stateDir: %s
                broker:
                  urls: [%s]
                  keepAlive: %ds
                hardware:
                  interval: 300ms
                  devices:
                    env: { type: bme280 }
                """.formatted(id, dir, broker.uri(), KEEPALIVE.toSeconds()));
        Process process = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "agent", "--config", yaml.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve(id + ".log").toFile()).start();
        cleanup.add(process::destroyForcibly);
        return process;
    }

    private Registry watch() throws Exception {
        Registry registry = new Registry(Clock.systemUTC(), new Codec());
        MqttSession session = MqttSession.builder().server(broker.uri()).clientId("fleet-watcher").build();
        cleanup.add(session);
        registry.attach(session, "+");
        session.connect().get(10, TimeUnit.SECONDS);
        registry.ready().get(10, TimeUnit.SECONDS);
        return registry;
    }

    private static DeviceView.Status status(Registry registry, String id) {
        return registry.byId("lab1", id).map(DeviceView::status).orElse(null);
    }

    @Test
    void threeAgentsComeOnlineAndGoOfflineByStopAndByDeath() throws Exception {
        Registry registry = watch();
        Agent stoppedGracefully = inProcessAgent("agent-a");
        inProcessAgent("agent-b");
        Process killed = childAgent("agent-c");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String id : List.of("agent-a", "agent-b", "agent-c")) {
                assertThat(registry.byId("lab1", id)).as(id).hasValueSatisfying(view -> {
                    assertThat(view.status()).isEqualTo(DeviceView.Status.ONLINE);
                    assertThat(view.latest()).containsKey("env-temperature");
                    assertThat(view.lastHeartbeat()).isNotNull();
                    assertThat(view.lastHlc()).isNotNull();
                });
            }
        });

        stoppedGracefully.stop(Duration.ofSeconds(3));
        await().atMost(Duration.ofSeconds(5)).until(() -> status(registry, "agent-a") == DeviceView.Status.OFFLINE);

        killed.destroyForcibly(); // SIGKILL: no goodbye; the broker publishes the Will
        long killedAt = System.nanoTime();
        await().atMost(KEEPALIVE.multipliedBy(3).dividedBy(2)).pollInterval(Duration.ofMillis(20))
                .until(() -> status(registry, "agent-c") == DeviceView.Status.OFFLINE);
        System.out.printf("Will seen %d ms after SIGKILL%n", (System.nanoTime() - killedAt) / 1_000_000);

        assertThat(status(registry, "agent-b")).isEqualTo(DeviceView.Status.ONLINE);
        assertThat(registry.stats().malformed()).isZero();
        broker.broker().assertHealthy();
    }

    @Test
    void mosquittoSubSeesTheDocumentedTopicsAndFields() throws Exception {
        inProcessAgent("plain-1");
        Process sub = new ProcessBuilder("mosquitto_sub", "-h", "127.0.0.1", "-p",
                Integer.toString(broker.broker().port()), "-V", "mqttv5", "-t", "edgekit/v1/#", "-v", "-W", "20")
                .redirectErrorStream(true).start();
        cleanup.add(sub::destroyForcibly);
        Map<String, JsonNode> byKind = new HashMap<>();
        ObjectMapper json = new ObjectMapper();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(sub.getInputStream(), UTF_8))) {
            String line;
            while (byKind.size() < 3 && (line = lines.readLine()) != null) {
                int space = line.indexOf(' ');
                String topic = line.substring(0, space);
                String kind = topic.replaceFirst("^edgekit/v1/lab1/plain-1/", "").replaceFirst("/.*", "");
                byKind.putIfAbsent(kind, json.readTree(line.substring(space + 1)));
            }
        }
        assertThat(byKind).containsKeys("state", "heartbeat", "telemetry");
        assertThat(byKind.get("state").get("status").asText()).isEqualTo("online");
        assertThat(fields(byKind.get("state"))).contains("v", "id", "name", "site", "board", "capabilities",
                "software", "network", "sessionStart", "birthSeq");
        assertThat(fields(byKind.get("heartbeat"))).contains("v", "id", "seq", "birthSeq", "time", "uptimeSeconds",
                "clock", "outbox");
        assertThat(fields(byKind.get("telemetry"))).contains("v", "id", "seq", "channel", "value", "unit", "time");
        assertThat(byKind.get("telemetry").get("unit").asText()).isEqualTo("°C");
        byKind.values().forEach(b -> assertThat(b.get("v").asInt()).isEqualTo(1));
    }

    private static List<String> fields(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void monitorPrintsTheFleetAndCountsMalformedAndOversizePayloadsWithoutCrashing() throws Exception {
        inProcessAgent("shown-1");
        MqttSession vandal = MqttSession.builder().server(broker.uri()).clientId("vandal").build();
        cleanup.add(vandal);
        vandal.connect().get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> monitorOnce().contains("shown-1"));

        vandal.publish(Outgoing.retained("edgekit/v1/lab1/shown-1/telemetry/temperature", "{oops".getBytes(UTF_8),
                1)).get(5, TimeUnit.SECONDS);
        vandal.publish(Outgoing.retained("edgekit/v1/lab1/ghost/heartbeat", new byte[100_000], 1))
                .get(5, TimeUnit.SECONDS);
        vandal.publish(Outgoing.retained("edgekit/v1/lab1/ghost-2/state", "{\"v\":1,\"status\":\"online\",\"id\":\"other\"}"
                .getBytes(UTF_8), 1)).get(5, TimeUnit.SECONDS);

        String table = monitorOnce();
        assertThat(table).contains("shown-1", "online").contains("3 malformed").doesNotContain("ghost");
    }

    private String monitorOnce() {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(captured, true, UTF_8));
        try {
            int exit = EdgekitCommand.commandLine().execute("monitor", "--broker", broker.uri(), "--once", "--settle",
                    "1s");
            assertThat(exit).isZero();
        } finally {
            System.setOut(original);
        }
        return captured.toString(UTF_8);
    }
}
