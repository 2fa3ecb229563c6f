package dev.edgekit.tools.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.edgekit.agent.config.AgentConfig;
import dev.edgekit.agent.config.AgentConfigLoader;
import dev.edgekit.agent.runtime.Agent;
import dev.edgekit.agent.runtime.AgentEnvironment;
import dev.edgekit.protocol.message.Codec;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.testkit.MosquittoProcess;
import dev.edgekit.ubiquitous.registry.DeviceView;
import dev.edgekit.ubiquitous.registry.Registry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** The agent runs from a provisioned bundle's agent.yaml against a secured Mosquitto, as a board would. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProvisionedAgentIT {
    @TempDir
    Path temp;
    private SecureSite site;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @BeforeEach
    void site() {
        site = new SecureSite(temp, "s1", "--host", "localhost", "--ip", "127.0.0.1");
    }

    @AfterEach
    void close() {
        scheduler.shutdownNow();
        site.close();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"password", "certificate"})
    void anAgentFromItsBundleIsSeenOnlineByTheOperator(String auth) throws Exception {
        Path device = site.provision("d1", "device", auth);
        Path operator = site.provision("op1", "operator", auth);
        MosquittoProcess broker = site.startBroker(auth.equals("certificate"));
        String uri = SecureSite.tlsUri(broker);

        // the bundle as written by provision, pointed at this test's broker and given a simulated board
        String yaml = Files.readString(device.resolve("agent.yaml"))
                .replaceAll("urls: \\[.*]", "urls: [\"" + uri + "\"]")
                .replace("board: pi ", "board: simulated ")
                + "heartbeat: 1s\nstateDir: " + temp.resolve("state") + "\nhardware:\n  interval: 200ms\n"
                + "  devices:\n    env: { type: bme280 }\n";
        AgentConfig config = new AgentConfigLoader().parse(yaml, "agent.yaml");
        assertThat(config.broker().tls()).isNotNull();

        Registry registry = new Registry(Clock.systemUTC(), new Codec());
        var operatorSession = MqttSession.builder().server(uri).clientId("op1")
                .socketFactory(site.tls(operator).socketFactory());
        if (auth.equals("password")) {
            operatorSession.credentials("op1", SecureSite.password(operator));
        }
        try (MqttSession watcher = operatorSession.build();
                Agent agent = Agent.create(config,
                        AgentEnvironment.of(Clock.systemUTC(), scheduler, RandomGenerator.of("L64X128MixRandom"), "test"))) {
            registry.attach(watcher, "s1");
            watcher.connect().get(10, TimeUnit.SECONDS);
            registry.ready().get(10, TimeUnit.SECONDS);
            agent.start().get(15, TimeUnit.SECONDS);

            await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                    assertThat(registry.byId("s1", "d1")).hasValueSatisfying(view -> {
                        assertThat(view.status()).isEqualTo(DeviceView.Status.ONLINE);
                        assertThat(view.latest()).containsKey("env-temperature");
                    }));
            assertThat(agent.status().telemetrySent()).isPositive(); // acknowledged by the broker through the ACL
        }
    }
}
