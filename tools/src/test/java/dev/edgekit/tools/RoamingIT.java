package dev.edgekit.tools;


import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgekit.agent.config.AgentConfig;
import dev.edgekit.agent.runtime.Agent;
import dev.edgekit.agent.runtime.AgentEnvironment;
import dev.edgekit.protocol.message.Codec;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.testkit.BrokerExtension;
import dev.edgekit.testkit.Closer;
import dev.edgekit.testkit.MosquittoProcess;
import dev.edgekit.ubiquitous.detect.DetectorConfig;
import dev.edgekit.ubiquitous.detect.Liveness;
import dev.edgekit.ubiquitous.detect.LivenessMonitor;
import dev.edgekit.ubiquitous.detect.Transition;
import dev.edgekit.ubiquitous.registry.DeviceView;
import dev.edgekit.ubiquitous.registry.Registry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** An agent roams from a dying broker to a second one; a registry watching both follows it; devices lists it. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RoamingIT {
    @RegisterExtension
    final BrokerExtension first = BrokerExtension.mosquitto();

    @TempDir
    Path dir;

    @RegisterExtension
    final Closer cleanup = new Closer();

    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);

    {
        cleanup.add(scheduler::shutdownNow); // registered first, so closed last
    }

    private void watch(Registry registry, String uri, String clientId) throws Exception {
        MqttSession session = MqttSession.builder().server(uri).clientId(clientId).build();
        cleanup.add(session);
        registry.attach(session, "lab1");
        session.connect().get(10, TimeUnit.SECONDS);
    }

    @Test
    void whenItsBrokerDiesTheAgentMovesToTheNextReannouncesAndTheRegistryFollows() throws Exception {
        MosquittoProcess second = MosquittoProcess.start();
        cleanup.add(second);
        Clock clock = Clock.systemUTC();
        Registry registry = new Registry(clock, new Codec());
        LivenessMonitor liveness = LivenessMonitor.attach(registry, DetectorConfig.phiAccrual());
        List<Transition> transitions = new CopyOnWriteArrayList<>();
        liveness.addListener(transitions::add);
        liveness.schedule(scheduler, clock, Duration.ofMillis(50));
        watch(registry, first.uri(), "watch-first");
        watch(registry, second.uri(), "watch-second");

        AgentConfig config = new AgentConfig("lab1", "rover", "Rover", new AgentConfig.BrokerConfig(
                List.of(first.uri(), second.uri()), Duration.ofSeconds(2), Duration.ZERO, null, null),
                Duration.ofSeconds(1), AgentConfig.BoardKind.SIMULATED,
                SimulatedHardware.config(Duration.ofSeconds(1), SimulatedHardware.probeId(1)), dir.resolve("rover"));
        Agent agent = Agent.create(config,
                AgentEnvironment.of(clock, scheduler, RandomGenerator.of("L64X128MixRandom"), "test"));
        cleanup.add(agent);
        agent.start().get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> registry.byId("lab1", "rover")
                .map(d -> d.birth() != null && first.uri().equals(d.birth().network().broker())).orElse(false));
        long firstSession = registry.byId("lab1", "rover").orElseThrow().birth().birthSeq();
        assertThat(registry.byId("lab1", "rover").orElseThrow().birth().network().address()).isEqualTo("127.0.0.1");

        first.broker().kill();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            DeviceView view = registry.byId("lab1", "rover").orElseThrow();
            assertThat(view.status()).isEqualTo(DeviceView.Status.ONLINE);
            assertThat(view.birth().network().broker()).isEqualTo(second.uri());
            assertThat(view.birth().birthSeq()).isGreaterThan(firstSession);
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> liveness.liveness("lab1", "rover", clock.instant())
                == Liveness.ONLINE && registry.byId("lab1", "rover").map(DeviceView::lastHeartbeat) // none yet: wait
                        .map(h -> h.birthSeq() > firstSession).orElse(false));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        int exit;
        try {
            System.setOut(new PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
            exit = Main.commandLine().execute("devices", "--broker", second.uri(), "--query",
                    "capability=env-temperature site=lab1 status=online", "--json", "--settle", "2500ms");
        } finally {
            System.setOut(old);
        }
        assertThat(exit).isZero();
        JsonNode devices = new ObjectMapper().readTree(out.toString(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(devices).hasSize(1);
        assertThat(devices.get(0).path("id").asText()).isEqualTo("rover");
        assertThat(devices.get(0).path("status").asText()).isEqualTo("online");
        assertThat(devices.get(0).path("birth").path("network").path("broker").asText()).isEqualTo(second.uri());
    }
}
