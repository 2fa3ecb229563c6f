package dev.edgekit.agent.runtime;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.edgekit.agent.config.AgentConfig;
import dev.edgekit.agent.config.HardwareConfig;
import dev.edgekit.hardware.board.Boards;
import dev.edgekit.hardware.board.SimulatedBoard;
import dev.edgekit.hardware.board.SimulationSettings;
import dev.edgekit.hardware.spec.BoardSpec;
import dev.edgekit.hardware.spec.DigitalOutputSpec;
import dev.edgekit.protocol.message.Codec;
import dev.edgekit.protocol.message.Heartbeat;
import dev.edgekit.protocol.mqtt.Inbound;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.protocol.topic.Topics;
import dev.edgekit.testkit.BrokerExtension;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 14's first attacks, sent with plain {@code mosquitto_pub} at a live agent on a real Mosquitto: a {@code cmd/get}
 * whose Lamport stamp is near {@code Long.MAX_VALUE} and whose response topic is the device's own {@code cmd/get}.
 * The agent must not loop, must keep heartbeating with small stamps, and must count both refusals in its heartbeat.
 */
@Timeout(60)
class HostileCommandIT {
    @RegisterExtension
    static final BrokerExtension broker = BrokerExtension.mosquitto();

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final String id = "hostile-" + Long.toHexString(System.nanoTime());
    private final List<Inbound> commands = new CopyOnWriteArrayList<>();
    private final List<Inbound> heartbeats = new CopyOnWriteArrayList<>();
    private Agent agent;
    private MqttSession observer;

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.stop(Duration.ofSeconds(2));
        }
        if (observer != null) {
            observer.close();
        }
        scheduler.shutdownNow();
    }

    @Test
    void aPoisonedStampAimedAtTheDevicesOwnCommandTopicNeitherLoopsNorStopsTheHeartbeat() throws Exception {
        observer = MqttSession.builder().server(broker.uri()).clientId("observer-" + id).build();
        observer.connect().get(10, TimeUnit.SECONDS);
        String cmdGet = Topics.command("it", id, "get").topic();
        observer.subscribe(cmdGet, 0, commands::add).granted().get(5, TimeUnit.SECONDS);
        observer.subscribe(Topics.heartbeat("it", id).topic(), 0, heartbeats::add).granted().get(5, TimeUnit.SECONDS);
        BoardSpec spec = BoardSpec.of(DigitalOutputSpec.led("status", 22));
        Clock clock = Clock.systemUTC();
        SimulatedBoard board = Boards.openSimulated(spec, clock, scheduler, SimulationSettings.seeded(5));
        AgentConfig config = new AgentConfig("it", id, null, AgentConfig.BrokerConfig.of(broker.uri()),
                Duration.ofMillis(200), AgentConfig.BoardKind.SIMULATED, HardwareConfig.of(spec),
                Path.of("target", "it-state", id));
        agent = Agent.create(config, AgentEnvironment.of(clock, scheduler, new SplittableRandom(1), "it"), board);
        agent.start().get(10, TimeUnit.SECONDS);

        Process pub = new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p",
                Integer.toString(broker.broker().port()), "-V", "mqttv5", "-t", cmdGet, "-m", "{\"v\":1}",
                "-D", "publish", "response-topic", cmdGet,
                "-D", "publish", "user-property", "lamport", Long.toString(Long.MAX_VALUE - 1),
                "-D", "publish", "user-property", "hlc", (clock.millis() + 50_000) + ".0").inheritIO().start();
        assertThat(pub.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(pub.exitValue()).isZero();

        int before = heartbeats.size();
        await().atMost(Duration.ofSeconds(10)).until(() -> heartbeats.size() >= before + 5 && refused("stamps") >= 1
                && refused("misdirected") >= 1);
        assertThat(commands).hasSize(1); // the attack itself, never answered onto cmd/get
        Inbound last = heartbeats.get(heartbeats.size() - 1);
        assertThat(last.stamp().orElseThrow().lamport()).isLessThan(1_000_000);
        assertThat(last.stamp().orElseThrow().hlc().wallMillis()).isLessThan(clock.millis() + 5_000);
    }

    private long refused(String cause) {
        if (heartbeats.isEmpty()) {
            return 0;
        }
        try {
            Heartbeat hb = (Heartbeat) new Codec().decode(Topics.heartbeat("it", id),
                    heartbeats.get(heartbeats.size() - 1).payload());
            return hb.refused().getOrDefault(cause, 0L);
        } catch (Exception e) {
            throw new AssertionError(new String(heartbeats.get(heartbeats.size() - 1).payload(), UTF_8), e);
        }
    }
}
