package dev.edgekit.agent.runtime;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.edgekit.agent.config.AgentConfig;
import dev.edgekit.agent.config.HardwareConfig;
import dev.edgekit.hardware.board.Boards;
import dev.edgekit.hardware.board.Fault;
import dev.edgekit.hardware.board.SimulatedBoard;
import dev.edgekit.hardware.board.SimulationSettings;
import dev.edgekit.hardware.spec.Bme280Spec;
import dev.edgekit.hardware.spec.BoardSpec;
import dev.edgekit.hardware.spec.DigitalOutputSpec;
import dev.edgekit.hardware.spec.Ds18b20Spec;
import dev.edgekit.hardware.spec.Frequency;
import dev.edgekit.hardware.spec.PwmOutputSpec;
import dev.edgekit.protocol.message.Birth;
import dev.edgekit.protocol.message.Capability;
import dev.edgekit.protocol.message.Codec;
import dev.edgekit.protocol.message.CommandReply;
import dev.edgekit.protocol.message.CommandReply.ErrorCode;
import dev.edgekit.protocol.message.Event;
import dev.edgekit.protocol.message.Heartbeat;
import dev.edgekit.protocol.message.MalformedMessageException;
import dev.edgekit.protocol.message.Message;
import dev.edgekit.protocol.message.SetRequest;
import dev.edgekit.protocol.message.Telemetry;
import dev.edgekit.protocol.mqtt.Inbound;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.protocol.mqtt.Outgoing;
import dev.edgekit.protocol.topic.DeviceTopic;
import dev.edgekit.protocol.topic.Topics;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An agent with a simulated board against a real Mosquitto: telemetry, fault events, degraded births, commands. */
@Timeout(60)
class AgentHardwareIT {
    @RegisterExtension
    static final BrokerExtension broker = BrokerExtension.mosquitto();

    private static final String SITE = "it";
    private static final BoardSpec SPEC = BoardSpec.of(
            Bme280Spec.onBus1("env"),
            new Ds18b20Spec("probe", "28-0316a2795aff"),
            DigitalOutputSpec.led("status", 22),
            new PwmOutputSpec("fan", 18, Frequency.ofKilohertz(25)));

    private final Codec codec = new Codec();
    private final List<MqttSession> sessions = new ArrayList<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private String id;
    private SimulatedBoard board;
    private Agent agent;

    record Received(DeviceTopic topic, Message message, boolean retained) {
    }

    @BeforeEach
    void startAgentAndObserver(TestInfo test) throws Exception {
        id = "dev-" + Long.toHexString(System.nanoTime());
        MqttSession observer = session("observer-" + id);
        observer.connect().get(10, TimeUnit.SECONDS);
        observer.subscribe(Topics.ROOT + "/" + SITE + "/" + id + "/#", 1, this::record).granted()
                .get(5, TimeUnit.SECONDS);

        Clock clock = Clock.systemUTC();
        board = Boards.openSimulated(SPEC, clock, scheduler, SimulationSettings.seeded(5).withConstantSignals());
        AgentConfig config = new AgentConfig(SITE, id, null, AgentConfig.BrokerConfig.of(broker.uri()),
                Duration.ofMillis(200), AgentConfig.BoardKind.SIMULATED,
                HardwareConfig.of(SPEC).withInterval(Duration.ofMillis(100)), Path.of("target", "it-state", id));
        agent = Agent.create(config, AgentEnvironment.of(clock, scheduler, new SplittableRandom(1), "it"), board);
        agent.start().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.stop(Duration.ofSeconds(2));
        }
        sessions.forEach(MqttSession::close);
        scheduler.shutdownNow();
    }

    @Test
    void publishesBme280TelemetryWithUnitsAndABirthListingChannelsActuatorsAndCommands() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(latestTelemetry("env-temperature")).satisfies(t -> {
                assertThat(t.unit()).isEqualTo("°C");
                assertThat(t.value()).isBetween(20.9, 21.1);
            });
            assertThat(latestTelemetry("env-humidity").unit()).isEqualTo("%RH");
            assertThat(latestTelemetry("env-pressure").unit()).isEqualTo("hPa");
            assertThat(latestTelemetry("probe-temperature").unit()).isEqualTo("°C");
        });
        Birth birth = latestBirth();
        assertThat(birth.capabilities()).contains(Capability.sensor("env-temperature", "°C"),
                Capability.sensor("env-pressure", "hPa"), Capability.actuator("fan", "%"),
                Capability.actuator("status", null), Capability.command("set"));
        assertThat(birth.degraded()).isEmpty();
        assertThat(birth.board().model()).contains("simulated");
        assertThat(birth.outboxDropped()).isZero(); // the agent fills it from its outbox at every birth
    }

    @Test
    void anInjectedNackRaisesAFaultEventAndDegradedBirthAndHeartbeatWhileTheOtherSensorKeepsGoing() {
        await().atMost(Duration.ofSeconds(10)).until(() -> count("probe-temperature") > 0 && latestBirthOrNull() != null);

        board.bme280("env").injectFault(new Fault.I2cNack());

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(events("sensor-fault")).singleElement().satisfies(e -> {
                assertThat(e.severity()).isEqualTo(Event.Severity.WARNING);
                assertThat(e.attributes()).containsEntry("device", "env");
            });
            assertThat(latestBirth().degraded()).singleElement().asString().startsWith("env (bme280) failing");
            assertThat(latestHeartbeat().degraded()).singleElement().asString().startsWith("env (bme280) failing");
        });
        long probeBefore = count("probe-temperature");
        long envBefore = count("env-temperature");
        await().atMost(Duration.ofSeconds(10)).until(() -> count("probe-temperature") >= probeBefore + 5);
        assertThat(count("env-temperature")).as("no telemetry from the failing sensor").isEqualTo(envBefore);
        assertThat(events("sensor-fault")).as("one event per failure streak").hasSize(1);

        board.bme280("env").clearFaults();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(events("sensor-recovered")).hasSize(1);
            assertThat(latestBirth().degraded()).isEmpty();
            assertThat(count("env-temperature")).isGreaterThan(envBefore);
        });
    }

    @Test
    void setRequestsSwitchTheSimulatedActuatorsAndBadOnesGetTypedErrors() throws Exception {
        MqttSession operator = session("operator-" + id);
        operator.connect().get(10, TimeUnit.SECONDS);

        CommandReply fan = command(operator, "set", codec.encodeRecord(SetRequest.duty("fan", 40)));
        assertThat(fan).isInstanceOf(CommandReply.Ok.class);
        assertThat(board.pwm("fan").dutyCyclePercent()).isEqualTo(40);

        CommandReply led = command(operator, "set", codec.encodeRecord(SetRequest.on("status", true)));
        assertThat(led).isInstanceOf(CommandReply.Ok.class);
        assertThat(board.output("status").isHigh()).isTrue();

        assertThat(command(operator, "set", "{\"v\":1,\"actuator\":\"fan\",\"duty\":140}".getBytes(UTF_8)))
                .isEqualTo(new CommandReply.Error(id, "set", ErrorCode.OUT_OF_RANGE,
                        "fan: duty cycle must be 0..100 %, was 140"));
        assertThat(((CommandReply.Error) command(operator, "set", codec.encodeRecord(SetRequest.on("heater", true))))
                .error()).isEqualTo(ErrorCode.UNKNOWN_ACTUATOR);
        assertThat(((CommandReply.Error) command(operator, "set", new byte[SetRequest.MAX_PAYLOAD_BYTES + 1]))
                .error()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE);
        assertThat(((CommandReply.Error) command(operator, "reboot", "{\"v\":1}".getBytes(UTF_8))).error())
                .isEqualTo(ErrorCode.UNKNOWN_COMMAND);
        assertThat(board.pwm("fan").dutyCyclePercent()).as("refused commands change nothing").isEqualTo(40);

        operator.publish(Outgoing.of(Topics.command(SITE, id, "set").topic(),
                codec.encodeRecord(SetRequest.duty("fan", 10)), 1)).get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> agent.hardwareStatus().commandsWithoutResponseTopic() == 1);
        assertThat(board.pwm("fan").dutyCyclePercent()).isEqualTo(40);
        assertThat(agent.isConnected()).isTrue();
    }

    // ---- helpers ----

    private CommandReply command(MqttSession operator, String name, byte[] payload) throws Exception {
        Inbound reply = operator.request(Outgoing.of(Topics.command(SITE, id, name).topic(), payload, 1),
                Topics.ROOT + "/" + SITE + "/" + id + "/reply/operator", Duration.ofSeconds(5)) // what the ACL allows
                .get(10, TimeUnit.SECONDS);
        return codec.decode(CommandReply.class, reply.payload());
    }

    private MqttSession session(String clientId) {
        MqttSession session = MqttSession.builder().server(broker.uri()).clientId(clientId)
                .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(500)).build();
        sessions.add(session);
        return session;
    }

    private void record(Inbound in) {
        Topics.parse(in.topic()).filter(t -> t.kind() != dev.edgekit.protocol.topic.TopicKind.COMMAND).ifPresent(t -> {
            try {
                received.add(new Received(t, codec.decode(t, in.payload()), in.retained()));
            } catch (MalformedMessageException e) {
                throw new AssertionError("agent published a malformed message on " + t + ": " + e.getMessage());
            }
        });
    }

    private long count(String channel) {
        return received.stream().filter(r -> r.message() instanceof Telemetry t && t.channel().equals(channel)).count();
    }

    private Telemetry latestTelemetry(String channel) {
        return received.stream().map(Received::message).filter(m -> m instanceof Telemetry t
                && t.channel().equals(channel)).map(Telemetry.class::cast).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no telemetry on " + channel + " yet"));
    }

    private List<Event> events(String name) {
        return received.stream().map(Received::message).filter(m -> m instanceof Event e && e.name().equals(name))
                .map(Event.class::cast).toList();
    }

    private Birth latestBirthOrNull() {
        return received.stream().map(Received::message).filter(Birth.class::isInstance).map(Birth.class::cast)
                .reduce((a, b) -> b).orElse(null);
    }

    private Birth latestBirth() {
        Birth birth = latestBirthOrNull();
        assertThat(birth).as("a birth certificate").isNotNull();
        return birth;
    }

    private Heartbeat latestHeartbeat() {
        return received.stream().map(Received::message).filter(Heartbeat.class::isInstance).map(Heartbeat.class::cast)
                .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no heartbeat yet"));
    }
}
