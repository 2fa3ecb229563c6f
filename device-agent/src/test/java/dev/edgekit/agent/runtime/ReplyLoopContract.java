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
import dev.edgekit.protocol.mqtt.Outgoing;
import dev.edgekit.protocol.topic.Topics;
import dev.edgekit.testkit.TestBroker;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile requests against a live agent through a real broker: a request aimed at a topic that answers requests
 * must not start a storm, a reply never carries a response topic, and a poisoned Lamport stamp leaves the agent
 * publishing. Run against every broker edgekit supports.
 */
@Timeout(60)
abstract class ReplyLoopContract {
    private static final String SITE = "loop";
    private static final BoardSpec SPEC = BoardSpec.of(DigitalOutputSpec.led("status", 22));

    private final Codec codec = new Codec();
    private final List<MqttSession> sessions = new ArrayList<>();
    private final List<Inbound> seen = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private String id;
    private SimulatedBoard board;
    private Agent agent;
    private MqttSession attacker;

    abstract TestBroker broker();

    @BeforeEach
    void startAgent() throws Exception {
        id = "loop-" + Long.toHexString(System.nanoTime());
        MqttSession watcher = session("watch-" + id);
        watcher.subscribe(Topics.ROOT + "/" + SITE + "/" + id + "/#", 1, seen::add).granted().get(5, TimeUnit.SECONDS);
        attacker = session("attacker-" + id);
        Clock clock = Clock.systemUTC();
        board = Boards.openSimulated(SPEC, clock, scheduler, SimulationSettings.seeded(3));
        AgentConfig config = new AgentConfig(SITE, id, null, AgentConfig.BrokerConfig.of(broker().uri()),
                Duration.ofMillis(200), AgentConfig.BoardKind.SIMULATED, HardwareConfig.of(SPEC),
                Path.of("target", "it-state", id));
        agent = Agent.create(config, new AgentEnvironment(clock, scheduler, null, new SplittableRandom(1), "it"), board);
        agent.start().get(10, TimeUnit.SECONDS);
    }

    private MqttSession session(String clientId) throws Exception {
        MqttSession s = MqttSession.builder().server(broker().uri()).clientId(clientId).build();
        sessions.add(s);
        s.connect().get(10, TimeUnit.SECONDS);
        return s;
    }

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.stop(Duration.ofSeconds(2));
        }
        sessions.forEach(MqttSession::close);
        scheduler.shutdownNow();
    }

    private long onCommandTopics() {
        return seen.stream().filter(in -> in.topic().contains("/cmd/")).count();
    }

    @Test
    void aRequestWhoseResponseTopicIsTheDevicesOwnCommandTopicIsNotAnsweredAtAll() throws Exception {
        String own = Topics.command(SITE, id, "get").topic();
        attacker.request(Outgoing.of(own, new byte[0], 1), own, Duration.ofMillis(1500))
                .handle((reply, timeout) -> null).get(5, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(5)).until(() -> refused().getOrDefault("commands-misdirected", 0L) >= 1);
        assertThat(onCommandTopics()).as("only the attacker's one request, no echo").isEqualTo(1);
    }

    @Test
    void aReplyInTheReplySpaceCarriesNoResponseTopic() throws Exception {
        String inbox = Topics.ROOT + "/" + SITE + "/" + id + "/reply/operator";
        Inbound reply = attacker.request(Outgoing.of(Topics.command(SITE, id, "get").topic(), new byte[0], 1), inbox,
                Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);

        assertThat(reply.responseTopic()).isNull();
        assertThat(reply.correlationData()).isNotNull();
    }

    @Test
    void aLamportStampNearLongMaxIsRefusedAndTheAgentKeepsHeartbeating() throws Exception {
        // a foreign client (edgekit's own session would stamp its own clocks): mosquitto_pub with forged properties
        Process pub = new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(broker().port()),
                "-V", "mqttv5", "-q", "1", "-t", Topics.command(SITE, id, "get").topic(), "-m", "{\"v\":1}",
                "-D", "publish", "user-property", "lamport", Long.toString(Long.MAX_VALUE - 1),
                "-D", "publish", "user-property", "hlc", (System.currentTimeMillis() + 50_000) + ".0")
                .redirectErrorStream(true).start();
        assertThat(pub.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(pub.exitValue()).as(new String(pub.getInputStream().readAllBytes(), UTF_8)).isZero();

        await().atMost(Duration.ofSeconds(5)).until(() -> refused().getOrDefault("stamps", 0L) >= 1);
        int before = heartbeats().size();
        await().atMost(Duration.ofSeconds(5)).until(() -> heartbeats().size() >= before + 3);
        assertThat(agent.status().session().publishFailures()).isZero();
    }

    private List<Heartbeat> heartbeats() {
        return seen.stream().filter(in -> in.topic().endsWith("/heartbeat")).map(in -> {
            try {
                return codec.decode(Heartbeat.class, in.payload());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    private Map<String, Long> refused() {
        List<Heartbeat> all = heartbeats();
        return all.isEmpty() ? Map.of() : all.get(all.size() - 1).refused();
    }
}
