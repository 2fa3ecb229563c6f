package dev.edgekit.console.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgekit.agent.config.AgentConfig;
import dev.edgekit.agent.config.HardwareConfig;
import dev.edgekit.agent.runtime.Agent;
import dev.edgekit.agent.runtime.AgentEnvironment;
import dev.edgekit.hardware.board.Boards;
import dev.edgekit.hardware.board.SimulatedBoard;
import dev.edgekit.hardware.board.SimulationSettings;
import dev.edgekit.hardware.spec.BoardSpec;
import dev.edgekit.hardware.spec.DigitalOutputSpec;
import dev.edgekit.hardware.spec.Frequency;
import dev.edgekit.hardware.spec.PwmOutputSpec;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.protocol.shadow.Reported;
import dev.edgekit.protocol.shadow.ShadowCodec;
import dev.edgekit.protocol.shadow.ShadowDelta;
import dev.edgekit.protocol.shadow.ShadowTopics;
import dev.edgekit.protocol.shadow.UpdateResult;
import dev.edgekit.testkit.BrokerExtension;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An agent with {@code shadow.enabled} and the keeper on a real Mosquitto: it converges on the last desired state
 * after being offline, reports what it refused and why, takes a heartbeat setting live, reports changes made by a
 * command, and applies its desired state again after a restart (outputs do not survive one).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ShadowDeviceIT {
    private static final String SITE = "shadow-dev";
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final BoardSpec SPEC = BoardSpec.of(DigitalOutputSpec.led("status", 22),
            new PwmOutputSpec("fan", 18, Frequency.ofKilohertz(25)));

    @RegisterExtension
    final BrokerExtension broker = BrokerExtension.mosquitto();

    private final ShadowCodec codec = new ShadowCodec();
    private final List<MqttSession> sessions = new ArrayList<>();
    private final List<Agent> agents = new ArrayList<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final AtomicLong hlc = new AtomicLong();
    private final String id = "sd-" + Long.toHexString(System.nanoTime());
    private final List<Reported> reports = new CopyOnWriteArrayList<>();
    private ShadowClient operator;
    private SimulatedBoard board;

    private MqttSession session(String name) throws Exception {
        MqttSession s = MqttSession.builder().server(broker.uri()).clientId(id + "-" + name).build();
        sessions.add(s);
        s.connect().get(5, TimeUnit.SECONDS);
        return s;
    }

    @BeforeEach
    void keeperAndOperator() throws Exception {
        new ShadowKeeper(session("keeper"), SITE, () -> Long.toString(hlc.incrementAndGet())).start()
                .get(5, TimeUnit.SECONDS);
        operator = new ShadowClient(session("operator"), SITE, "alice");
        MqttSession watcher = session("watcher");
        watcher.subscribe(ShadowTopics.reported(SITE, id), 1, in -> {
            try {
                reports.add(codec.decodeReported(id, in.payload()));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).granted().get(5, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        agents.forEach(a -> a.stop(Duration.ofSeconds(2)));
        sessions.forEach(MqttSession::close);
        scheduler.shutdownNow();
    }

    private Agent startAgent() throws Exception {
        Clock clock = Clock.systemUTC();
        board = Boards.openSimulated(SPEC, clock, scheduler, SimulationSettings.seeded(2));
        AgentConfig config = new AgentConfig(SITE, id, null, AgentConfig.BrokerConfig.of(broker.uri()),
                Duration.ofSeconds(1), AgentConfig.BoardKind.SIMULATED, HardwareConfig.of(SPEC),
                Path.of("target", "it-state", id)).withShadow(new AgentConfig.ShadowSettings(true));
        Agent agent = Agent.create(config, new AgentEnvironment(clock, scheduler, null, new SplittableRandom(1), "it"),
                board);
        agents.add(agent);
        agent.start().get(10, TimeUnit.SECONDS);
        return agent;
    }

    private long set(String json) throws Exception {
        long version = operator.desired(id, WAIT).version();
        UpdateResult result = operator.update(id, version, codec.parseState(json), WAIT).get();
        assertThat(result).isInstanceOf(UpdateResult.Accepted.class);
        return version + 1;
    }

    private Reported lastReport() {
        return reports.get(reports.size() - 1);
    }

    @Test
    void anOfflineDeviceEndsAtTheLastDesiredStateAndNeverAppliesTheOnesBefore() throws Exception {
        set("{\"fan\":10}");
        set("{\"fan\":20}");
        long last = set("{\"fan\":30,\"status\":true}");

        startAgent();

        await().atMost(WAIT).until(() -> !reports.isEmpty() && lastReport().desiredVersion() == last);
        Reported reported = lastReport();
        assertThat(reported.state().get("fan").asInt()).isEqualTo(30);
        assertThat(reported.state().get("status").asBoolean()).isTrue();
        assertThat(reported.refused()).isEmpty();
        assertThat(board.pwm("fan").dutyCyclePercent()).isEqualTo(30);
        assertThat(reports).extracting(Reported::desiredVersion).doesNotContain(1L, 2L);
        assertThat(ShadowDelta.of(operator.desired(id, WAIT), operator.reported(id, WAIT))).isEmpty();
    }

    @Test
    void whatTheDeviceRefusesIsReportedWithItsReasonAndStaysInTheDelta() throws Exception {
        startAgent();
        long version = set("{\"fan\":150,\"nothing\":true,\"status\":true,"
                + "\"config\":{\"heartbeat\":\"1ms\",\"sampling\":\"5s\",\"channels\":\"env\"}}");

        await().atMost(WAIT).until(() -> !reports.isEmpty() && lastReport().desiredVersion() == version);
        Reported reported = lastReport();
        assertThat(reported.refused()).containsOnlyKeys("fan", "nothing", "config.heartbeat", "config.channels");
        assertThat(reported.state().get("config").get("sampling").asText()).isEqualTo("5s"); // taken
        assertThat(reported.refused().get("config.heartbeat")).contains("out of range");
        assertThat(reported.state().get("status").asBoolean()).isTrue(); // the rest was applied
        ObjectNode delta = ShadowDelta.of(operator.desired(id, WAIT), operator.reported(id, WAIT));
        assertThat(delta.has("fan")).isTrue();
        assertThat(delta.has("status")).isFalse();

        // monitor shows the four pending leaves (fan, nothing, config.heartbeat, config.channels) in its DELTA column
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream original = System.out;
        System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertThat(dev.edgekit.console.EdgekitCommand.commandLine().execute("monitor", "--broker", broker.uri(),
                    "--site", SITE, "--once", "--settle", "2s")).isZero();
        } finally {
            System.setOut(original);
        }
        String table = out.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(table).contains("DELTA");
        assertThat(table.lines().filter(l -> l.startsWith(SITE + " " + id))).singleElement().satisfies(row ->
                assertThat(row).matches(".*\\s4\\s+(-|\\S+=.*)$"));
    }

    @Test
    void aHeartbeatSettingIsTakenLiveAndACommandsChangeIsReported() throws Exception {
        startAgent();
        long version = set("{\"config\":{\"heartbeat\":\"300ms\",\"sampling\":\"250ms\"}}");
        await().atMost(WAIT).until(() -> !reports.isEmpty() && lastReport().desiredVersion() == version
                && lastReport().state().get("config").get("heartbeat").asText().equals("300ms")
                && lastReport().state().get("config").get("sampling").asText().equals("250ms"));

        MqttSession cmd = session("cmd"); // a plain command: the same path as cmd/set

        cmd.publish(dev.edgekit.protocol.mqtt.Outgoing.of(dev.edgekit.protocol.topic.Topics.outputSet(SITE, id, "fan"),
                "55".getBytes(java.nio.charset.StandardCharsets.UTF_8), 1)).get(5, TimeUnit.SECONDS);

        await().atMost(WAIT).until(() -> lastReport().state().get("fan").asInt() == 55);
        assertThat(lastReport().desiredVersion()).isEqualTo(version);
    }

    @Test
    void afterARestartTheDesiredStateIsAppliedAgainForOutputsDoNotSurviveOne() throws Exception {
        Agent first = startAgent();
        long version = set("{\"fan\":42}");
        await().atMost(WAIT).until(() -> !reports.isEmpty() && lastReport().desiredVersion() == version
                && lastReport().state().get("fan").asInt() == 42);
        first.stop(Duration.ofSeconds(2));
        agents.remove(first);
        reports.clear();

        startAgent(); // a new board: the fan starts at 0

        await().atMost(WAIT).until(() -> board.pwm("fan").dutyCyclePercent() == 42);
        await().atMost(WAIT).until(() -> lastReport().state().get("fan").asInt() == 42);
        assertThat(reports).extracting(Reported::desiredVersion).containsOnly(version);
    }
}
