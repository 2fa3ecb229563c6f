package dev.edgekit.agent.runtime;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.edgekit.hardware.board.Boards;
import dev.edgekit.hardware.board.SimulatedBoard;
import dev.edgekit.hardware.board.SimulationSettings;
import dev.edgekit.hardware.spec.BoardSpec;
import dev.edgekit.hardware.spec.DigitalOutputSpec;
import dev.edgekit.hardware.spec.Frequency;
import dev.edgekit.hardware.spec.PwmOutputSpec;
import dev.edgekit.protocol.message.Codec;
import dev.edgekit.protocol.message.CommandReply;
import dev.edgekit.protocol.message.CommandReply.ErrorCode;
import dev.edgekit.protocol.message.SetRequest;
import dev.edgekit.testkit.ManualScheduler;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommandHandlerTest {
    private static final String TOPIC = "edgekit/v1/lab1/pi-01/cmd/";

    private final ManualScheduler scheduler = new ManualScheduler();
    private final SimulatedBoard board = Boards.openSimulated(BoardSpec.of(
                    DigitalOutputSpec.led("status", 22),
                    new PwmOutputSpec("fan", 18, Frequency.ofKilohertz(25)),
                    DigitalOutputSpec.relay("pump", 99)), // no GPIO 99: unavailable
            scheduler.clock(), scheduler, SimulationSettings.seeded(1));
    private final CommandHandler handler = new CommandHandler("lab1", "pi-01", board, scheduler, scheduler.clock());
    private final Codec codec = new Codec();

    @AfterEach
    void close() {
        board.close();
    }

    private CommandReply set(String json) {
        return handler.execute("set", json.getBytes(UTF_8));
    }

    @Test
    void setsAPwmDutyCycleAndRepliesWithTheNewState() {
        CommandReply reply = set("{\"v\":1,\"actuator\":\"fan\",\"duty\":40}");

        assertThat(reply).isEqualTo(new CommandReply.Ok("pi-01", "set",
                java.util.List.of(new CommandReply.ActuatorStatus("fan", "pwm", true, 40))));
        assertThat(board.pwm("fan").dutyCyclePercent()).isEqualTo(40);
        assertThat(board.pwm("fan").isOn()).isTrue();
    }

    @Test
    void switchesAnLedOnAndOff() {
        assertThat(set("{\"v\":1,\"actuator\":\"status\",\"on\":true}")).isInstanceOf(CommandReply.Ok.class);
        assertThat(board.output("status").isHigh()).isTrue();
        assertThat(set("{\"v\":1,\"actuator\":\"status\",\"on\":false}")).isInstanceOf(CommandReply.Ok.class);
        assertThat(board.output("status").isHigh()).isFalse();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            {"v":1,"actuator":"heater","on":true}              | UNKNOWN_ACTUATOR
            {"v":1,"actuator":"pump","on":true}                | UNAVAILABLE
            {"v":1,"actuator":"fan","duty":140}                | OUT_OF_RANGE
            {"v":1,"actuator":"fan","duty":-1}                 | OUT_OF_RANGE
            {"v":1,"actuator":"fan","duty":99999999999}        | OUT_OF_RANGE
            {"v":1,"actuator":"status","duty":40}              | NOT_SUPPORTED
            {"v":1,"actuator":"fan","duty":40.5}               | MALFORMED
            {"v":1,"actuator":"fan","duty":"40"}               | MALFORMED
            {"v":1,"actuator":"status","on":"yes"}             | MALFORMED
            {"v":1,"actuator":"fan","on":true,"duty":40}       | MALFORMED
            {"v":1,"actuator":"fan"}                           | MALFORMED
            {"v":1,"duty":40}                                  | MALFORMED
            {"v":1,"actuator":7,"duty":40}                     | MALFORMED
            {"actuator":"fan","duty":40}                       | MALFORMED
            {"v":2,"actuator":"fan","duty":40}                 | MALFORMED
            [1,2,3]                                            | MALFORMED
            not json                                           | MALFORMED
            """)
    void refusesABadSetWithATypedErrorAndTouchesNothing(String json, ErrorCode expected) {
        CommandReply reply = set(json);

        assertThat(reply).isInstanceOfSatisfying(CommandReply.Error.class, e -> {
            assertThat(e.error()).isEqualTo(expected);
            assertThat(e.command()).isEqualTo("set");
            assertThat(e.message()).isNotBlank();
        });
        assertThat(board.pwm("fan").dutyCyclePercent()).isZero();
        assertThat(board.output("status").isHigh()).isFalse();
    }

    @Test
    void refusesAnOversizePayloadBeforeParsingIt() {
        byte[] huge = new byte[SetRequest.MAX_PAYLOAD_BYTES + 1];
        Arrays.fill(huge, (byte) '[');  // would also be too deeply nested, if it were ever parsed

        CommandReply reply = handler.execute("set", huge);

        assertThat(((CommandReply.Error) reply).error()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE);
    }

    @Test
    void refusesAnUnknownCommandNamingTheKnownOnes() {
        CommandReply reply = handler.execute("reboot", "{\"v\":1}".getBytes(UTF_8));

        assertThat(reply).isInstanceOfSatisfying(CommandReply.Error.class, e -> {
            assertThat(e.error()).isEqualTo(ErrorCode.UNKNOWN_COMMAND);
            assertThat(e.message()).contains("set", "get");
        });
    }

    @Test
    void getReportsEveryWorkingActuator() {
        set("{\"v\":1,\"actuator\":\"fan\",\"duty\":25}");

        CommandReply reply = handler.execute("get", new byte[0]);

        assertThat(((CommandReply.Ok) reply).actuators()).containsExactly(
                new CommandReply.ActuatorStatus("status", "led", false, 0),
                new CommandReply.ActuatorStatus("fan", "pwm", true, 25));
    }

    @Test
    void repliesOnTheResponseTopicWithAReplyConsumersCanDecode() throws Exception {
        FakeSession session = new FakeSession();

        handler.handle(FakeSession.request(TOPIC + "set", "{\"v\":1,\"actuator\":\"fan\",\"duty\":140}"
                .getBytes(UTF_8)), session);

        assertThat(session.replies).singleElement().satisfies(r -> assertThat(r.qos()).isEqualTo(1));
        CommandReply reply = codec.decode(CommandReply.class, session.replies.get(0).payload());
        assertThat(reply).isInstanceOfSatisfying(CommandReply.Error.class,
                e -> assertThat(e.error()).isEqualTo(ErrorCode.OUT_OF_RANGE));
        assertThat(handler.rejected()).isEqualTo(1);
    }

    @Test
    void aCommandWithoutAResponseTopicIsCountedAndNotCarriedOut() {
        FakeSession session = new FakeSession();

        handler.handle(FakeSession.plain(TOPIC + "set", "{\"v\":1,\"actuator\":\"fan\",\"duty\":40}".getBytes(UTF_8)),
                session);

        assertThat(session.replies).isEmpty();
        assertThat(handler.unanswerable()).isEqualTo(1);
        assertThat(board.pwm("fan").dutyCyclePercent()).isZero();
    }
}
