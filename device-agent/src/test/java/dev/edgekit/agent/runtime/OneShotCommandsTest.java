package dev.edgekit.agent.runtime;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

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
import dev.edgekit.protocol.message.Heartbeat;
import dev.edgekit.protocol.mqtt.Inbound;
import dev.edgekit.testkit.ManualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one-shot commands through {@link CommandHandler}: ping, identify's blink, sync's burst, restart's hand-off. */
class OneShotCommandsTest {
    private static final String TOPIC = "edgekit/v1/lab1/pi-01/cmd/";

    private final ManualScheduler scheduler = new ManualScheduler();
    private final SimulatedBoard board = Boards.openSimulated(BoardSpec.of(
                    DigitalOutputSpec.led("status", 22),
                    DigitalOutputSpec.led("spare", 23),
                    new PwmOutputSpec("fan", 18, Frequency.ofKilohertz(25)),
                    DigitalOutputSpec.relay("pump", 24)),
            scheduler.clock(), scheduler, SimulationSettings.seeded(1));
    private final List<String> heard = new ArrayList<>();
    private final Outputs outputs = new Outputs(board, new AgentListener() {
        @Override
        public void outputChanged(dev.edgekit.hardware.ActuatorState state) {
            heard.add(state.name() + "=" + state.on());
        }
    }, scheduler);
    private final AtomicInteger polls = new AtomicInteger();
    private final RestartHook hook = mock(RestartHook.class);
    private boolean timeClient = true;
    private boolean restartable = true;
    private final CommandHandler handler = new CommandHandler("lab1", "pi-01", outputs, new FakeAgent());

    /** An agent 90 s up in session 7, synchronised to stratum 2, whose time client counts the bursts asked of it. */
    private final class FakeAgent implements OneShotCommands.Target {
        public Duration uptime() {
            return Duration.ofSeconds(90).plusMillis(400);
        }

        public long birthSeq() {
            return 7;
        }

        public Instant now() {
            return Instant.parse("2026-12-04T06:00:00.250Z");
        }

        public Heartbeat.ClockStatus clockStatus() {
            return new Heartbeat.ClockStatus(-42, 350.0, 2, "ts-1", "ntp", 1.5);
        }

        public boolean timeClient() {
            return timeClient;
        }

        public OptionalInt pollTimeNow() {
            return timeClient ? OptionalInt.of(polls.incrementAndGet() == 1 ? 1 : 0) : OptionalInt.empty();
        }

        public Optional<RestartHook> restarts() {
            return restartable ? Optional.of(hook) : Optional.empty();
        }
    }

    @AfterEach
    void close() {
        board.close();
    }

    private CommandReply run(String command, String json) {
        return handler.execute(command, json.getBytes(UTF_8));
    }

    private static Map<String, String> detail(CommandReply reply) {
        assertThat(reply).isInstanceOf(CommandReply.Ok.class);
        return ((CommandReply.Ok) reply).detail();
    }

    private static ErrorCode error(CommandReply reply) {
        assertThat(reply).isInstanceOf(CommandReply.Error.class);
        return ((CommandReply.Error) reply).error();
    }

    @Test
    void pingSaysUptimeSessionTimeAndClockAndEncodesForTheWire() throws Exception {
        CommandReply reply = handler.execute("ping", new byte[0]);

        assertThat(detail(reply)).containsEntry("uptime", "1m30s").containsEntry("session", "7")
                .containsEntry("time", "2026-12-04T06:00:00.250Z").containsEntry("clock", "ntp")
                .containsEntry("synchronised", "yes").containsEntry("stratum", "2").containsEntry("server", "ts-1")
                .containsEntry("offset", "-42 µs").containsEntry("errorBound", "±350 µs");
        Codec codec = new Codec();
        assertThat(codec.decode(CommandReply.class, codec.encodeRecord((Record) reply))).isEqualTo(reply);
        assertThat(handler.ok()).isEqualTo(1);
    }

    @Test
    void uptimeReadsLargestUnitFirst() {
        assertThat(OneShotCommands.uptime(Duration.ofMillis(900))).isEqualTo("0s");
        assertThat(OneShotCommands.uptime(Duration.ofSeconds(3_600))).isEqualTo("1h0m0s");
        assertThat(OneShotCommands.uptime(Duration.ofDays(3).plusSeconds(12))).isEqualTo("3d0h0m12s");
    }

    @Test
    void identifyBlinksTheFirstLedAtTwoHertzUnheardAndPutsItBackAfterwards() {
        outputs.command("status", new dev.edgekit.hardware.ActuatorCommand.SetOn(true));
        heard.clear();

        assertThat(detail(run("identify", "{\"v\":1,\"for\":\"2s\"}"))).containsEntry("output", "status")
                .containsEntry("for", "2s");

        List<Boolean> seen = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            seen.add(board.output("status").isHigh());
            assertThat(outputs.states().get(0).on()).isTrue(); // what is reported: the state it returns to
            scheduler.advance(Outputs.BLINK_HALF_PERIOD);
        }
        assertThat(seen).containsExactly(false, true, false, true, false, true, false);
        scheduler.advance(Outputs.BLINK_HALF_PERIOD);
        assertThat(board.output("status").isHigh()).isTrue();
        assertThat(outputs.blinking()).isEmpty();
        assertThat(scheduler.pendingCount()).isZero();
        assertThat(heard).isEmpty(); // no state topic, shadow report or Sparkplug metric for a blink
    }

    @Test
    void aCommandToTheBlinkingLedEndsTheBlinkAndItsStateStays() {
        run("identify", "{\"v\":1,\"output\":\"spare\",\"for\":\"30s\"}");
        scheduler.advance(Outputs.BLINK_HALF_PERIOD);

        run("set", "{\"v\":1,\"actuator\":\"spare\",\"on\":true}");
        scheduler.advance(Duration.ofSeconds(31));

        assertThat(board.output("spare").isHigh()).isTrue();
        assertThat(outputs.blinking()).isEmpty();
        assertThat(heard).containsExactly("spare=true");
    }

    @Test
    void aSecondIdentifyEndsTheFirstAndTheFirstLedIsPutBack() {
        run("identify", "{\"v\":1,\"output\":\"status\"}");
        run("identify", "{\"v\":1,\"output\":\"spare\"}");

        assertThat(board.output("status").isHigh()).isFalse();
        assertThat(outputs.blinking()).contains("spare");
        scheduler.advance(OneShotCommands.DEFAULT_IDENTIFY);
        assertThat(board.output("spare").isHigh()).isFalse();
        assertThat(outputs.blinking()).isEmpty();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            {"v":1,"output":"pump"}                  | NOT_SUPPORTED
            {"v":1,"output":"fan"}                   | NOT_SUPPORTED
            {"v":1,"output":"heater"}                | UNKNOWN_ACTUATOR
            {"v":1,"output":7}                       | MALFORMED
            {"v":1,"for":"0.5s"}                     | OUT_OF_RANGE
            {"v":1,"for":"6m"}                       | OUT_OF_RANGE
            {"v":1,"for":10}                         | MALFORMED
            {"v":1,"for":"ten seconds"}              | MALFORMED
            {"v":1,"colour":"red"}                   | MALFORMED
            {"v":1,"id":"pi-02"}                     | MALFORMED
            {"v":2}                                  | MALFORMED
            """)
    void identifyRefusesWhatItCannotDoAndTouchesNothing(String json, ErrorCode expected) {
        assertThat(error(run("identify", json))).isEqualTo(expected);

        assertThat(outputs.blinking()).isEmpty();
        assertThat(board.output("pump").isHigh()).isFalse();
        assertThat(scheduler.pendingCount()).isZero();
    }

    @Test
    void syncStartsABurstAtMostOnceASecond() {
        assertThat(detail(run("sync", "{\"v\":1}"))).containsEntry("burst", "started on 1 server")
                .containsEntry("offset", "-42 µs");
        assertThat(error(run("sync", "{\"v\":1}"))).isEqualTo(ErrorCode.BUSY);

        FakeSession session = new FakeSession();
        handler.handle(new Inbound(TOPIC + "sync", new byte[0], 1, false, false, Map.of(), Optional.empty(),
                "edgekit/v1/lab1/pi-01/reply/operator", new byte[] {1}, Instant.EPOCH.plusSeconds(2)), session);
        assertThat(polls).hasValue(2);
        assertThat(session.replies).hasSize(1);
    }

    @Test
    void syncOnAnAgentThatPollsNoTimeServerIsNotSupportedAndAsksNothing() {
        timeClient = false;

        assertThat(error(run("sync", ""))).isEqualTo(ErrorCode.NOT_SUPPORTED);
        assertThat(polls).hasValue(0);
    }

    @Test
    void restartHappensOnlyAfterTheReplyHasLeftAndOnlyOnce() throws Exception {
        when(hook.problem()).thenReturn(Optional.empty());
        FakeSession session = new FakeSession();

        OneShotCommands.Outcome outcome = handler.run("restart", new byte[0]);
        assertThat(outcome.reply()).isInstanceOf(CommandReply.Ok.class);
        verify(hook, never()).restart(); // the reply has not left yet
        assertThat(error(run("restart", ""))).isEqualTo(ErrorCode.BUSY);

        handler.handle(FakeSession.request(TOPIC + "ping", new byte[0]), session);
        verify(hook, never()).restart(); // only the restart's own reply lets it go
        outcome.afterReply().run();
        verify(hook, timeout(5_000)).restart();
    }

    @Test
    void aRestartTheHostCannotDoIsRefusedAndTheAgentCarriesOn() {
        when(hook.problem()).thenReturn(Optional.of("/etc/edgekit/agent.yaml: heartbeat: 1ms is out of range"));

        CommandReply reply = run("restart", "");

        assertThat(error(reply)).isEqualTo(ErrorCode.CONFIG_INVALID);
        assertThat(((CommandReply.Error) reply).message()).contains("carries on", "heartbeat");
        restartable = false;
        assertThat(error(run("restart", ""))).isEqualTo(ErrorCode.NOT_SUPPORTED);
        verify(hook, never()).restart();
    }

    @Test
    void theBirthListsTheOneShotCommandsThisAgentCanCarryOut() {
        assertThat(handler.oneShots(outputs.states())).containsExactly("ping", "identify", "sync", "restart");
        timeClient = false;
        restartable = false;
        assertThat(handler.oneShots(List.of())).containsExactly("ping");
    }
}
