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
import dev.edgekit.hardware.spec.Bme280Spec;
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
import dev.edgekit.protocol.topic.Topics;
import dev.edgekit.testkit.BrokerExtension;
import dev.edgekit.time.DeviceClock;
import dev.edgekit.time.DisciplinedClock;
import dev.edgekit.time.PollRange;
import dev.edgekit.time.TimeServer;
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
        return startAgent(SPEC, AgentConfig.TimeConfig.NONE);
    }

    private Agent startAgent(BoardSpec spec, AgentConfig.TimeConfig time) throws Exception {
        Clock clock = Clock.systemUTC();
        board = Boards.openSimulated(spec, clock, scheduler, SimulationSettings.seeded(2));
        AgentConfig config = new AgentConfig(SITE, id, null, AgentConfig.BrokerConfig.of(broker.uri()),
                Duration.ofSeconds(1), AgentConfig.BoardKind.SIMULATED, HardwareConfig.of(spec),
                Path.of("target", "it-state", id), time).withShadow(new AgentConfig.ShadowSettings(true));
        Agent agent = Agent.create(config, AgentEnvironment.of(clock, scheduler, new SplittableRandom(1), "it"),
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

    @Test
    void channelsAndTimePollingAreTakenLiveAndDroppingThemRestoresTheFile() throws Exception {
        MqttSession timeSession = session("ts");
        TimeServer.start(timeSession, SITE, "ts", DisciplinedClock.reference(DeviceClock.of(Clock.systemUTC()),
                Duration.ZERO)).ready().get(5, TimeUnit.SECONDS);
        List<Long> pressure = new CopyOnWriteArrayList<>();
        List<Long> requests = new CopyOnWriteArrayList<>();
        MqttSession observer = session("observer");
        observer.subscribe(Topics.telemetry(SITE, id, "env-pressure").topic(), 0,
                in -> pressure.add(System.nanoTime())).granted().get(5, TimeUnit.SECONDS);
        observer.subscribe(Topics.time(SITE, "ts/request"), 0, in -> requests.add(System.nanoTime()))
                .granted().get(5, TimeUnit.SECONDS);
        Agent agent = startAgent(BoardSpec.of(Bme280Spec.onBus1("env")),
                AgentConfig.TimeConfig.ntp(List.of("ts")));
        await().atMost(WAIT).until(() -> pressure.size() >= 2);

        long version = set("{\"config\":{\"channels\":{\"env-pressure\":false},"
                + "\"time\":{\"minPoll\":\"2s\",\"maxPoll\":\"2s\"}}}");
        await().atMost(WAIT).until(() -> !reports.isEmpty() && lastReport().desiredVersion() == version);
        Reported reported = lastReport();
        assertThat(reported.refused()).isEmpty();
        assertThat(reported.state().get("config").get("channels").toString())
                .isEqualTo("{\"env-temperature\":true,\"env-humidity\":true,\"env-pressure\":false}");
        assertThat(reported.state().get("config").get("time").toString())
                .isEqualTo("{\"minPoll\":\"2s\",\"maxPoll\":\"2s\"}");
        assertThat(agent.time().pollRange()).contains(new PollRange(Duration.ofSeconds(2), Duration.ofSeconds(2)));

        // from the report on: no pressure telemetry (a sample read just before may still be in flight for a moment),
        // and bursts of requests ≥ 1.8 s apart
        long since = System.nanoTime();
        await().atMost(Duration.ofSeconds(15)).until(() -> bursts(requests, since).size() >= 3);
        assertThat(pressure).allSatisfy(arrival -> assertThat(arrival).isLessThan(since + 500_000_000L));
        List<Long> starts = bursts(requests, since);
        for (int i = 1; i < starts.size(); i++) {
            assertThat(Duration.ofNanos(starts.get(i) - starts.get(i - 1))).isGreaterThan(Duration.ofMillis(1_700));
        }

        long dropped = set("{\"config\":null}"); // a merge patch deleting config: the file's settings again
        await().atMost(WAIT).until(() -> lastReport().desiredVersion() == dropped);
        assertThat(lastReport().state().get("config").get("channels").get("env-pressure").asBoolean()).isTrue();
        assertThat(lastReport().state().get("config").get("time").toString())
                .isEqualTo("{\"minPoll\":\"250ms\",\"maxPoll\":\"64s\"}");
        int before = pressure.size();
        await().atMost(WAIT).until(() -> pressure.size() > before);
    }

    /**
     * The first request of each burst after {@code since}: requests less than 1 s apart are one burst (bursts start
     * ≥ 1.8 s apart at a 2 s interval with its ±10 % jitter; a slow reply inside a burst must not split it).
     */
    private static List<Long> bursts(List<Long> requests, long since) {
        List<Long> starts = new ArrayList<>();
        long previous = Long.MIN_VALUE;
        for (long at : requests) {
            if (at < since) {
                continue;
            }
            if (previous == Long.MIN_VALUE || at - previous > 1_000_000_000L) {
                starts.add(at);
            }
            previous = at;
        }
        return starts.size() > 1 ? starts.subList(1, starts.size()) : List.of(); // the first may have begun before
    }
}
