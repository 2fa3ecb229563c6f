package dev.edgekit.console;

import static org.assertj.core.api.Assertions.assertThat;

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
import dev.edgekit.testkit.BrokerExtension;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code edgekit cmd} against an agent with a simulated board on a real Mosquitto: output, reply and exit codes. */
@Timeout(60)
class CmdIT {
    @RegisterExtension
    static final BrokerExtension broker = BrokerExtension.mosquitto();

    private static final BoardSpec SPEC = BoardSpec.of(DigitalOutputSpec.led("status", 22),
            new PwmOutputSpec("fan", 18, Frequency.ofKilohertz(25)));
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final String id = "cmd-" + Long.toHexString(System.nanoTime());
    private SimulatedBoard board;
    private Agent agent;

    @BeforeEach
    void startAgent() throws Exception {
        Clock clock = Clock.systemUTC();
        board = Boards.openSimulated(SPEC, clock, scheduler, SimulationSettings.seeded(2));
        AgentConfig config = new AgentConfig("lab1", id, null, AgentConfig.BrokerConfig.of(broker.uri()),
                Duration.ofSeconds(1), AgentConfig.BoardKind.SIMULATED, HardwareConfig.of(SPEC),
                Path.of("target", "it-state", id));
        agent = Agent.create(config, AgentEnvironment.of(clock, scheduler, new SplittableRandom(1), "it"), board);
        agent.start().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        agent.stop(Duration.ofSeconds(2));
        scheduler.shutdownNow();
    }

    private CliRun cmd(String... args) {
        return CliRun.cmd(broker.uri(), "lab1", args);
    }

    @Test
    void aCommandTheDeviceCarriesOutPrintsItsStateAndExitsZero() {
        CliRun run = cmd(id, "set", "{\"v\":1,\"actuator\":\"fan\",\"duty\":40}");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("ok: set").contains("fan", "duty 40 %");
        assertThat(board.pwm("fan").dutyCyclePercent()).isEqualTo(40);
    }

    @Test
    void aRefusedCommandPrintsTheTypedErrorAndExitsThree() {
        CliRun run = cmd(id, "set", "{\"v\":1,\"actuator\":\"fan\",\"duty\":140}");

        assertThat(run.exit()).isEqualTo(CmdCommand.REFUSED);
        assertThat(run.out()).startsWith("refused: out-of-range: ");
    }

    @Test
    void jsonPrintsTheReplyAsTheDeviceSentIt() {
        CliRun run = cmd("--json", id, "get");

        assertThat(run.exit()).isZero();
        assertThat(run.out().strip()).startsWith("{").contains("\"command\":\"get\"", "\"fan\"");
    }

    @Test
    void aDeviceThatDoesNotAnswerIsExitFourAfterTheTimeout() {
        CliRun run = cmd("--timeout", "1s", "nobody-here", "get");

        assertThat(run.exit()).isEqualTo(CmdCommand.NO_REPLY);
        assertThat(run.err()).contains("no reply from lab1/nobody-here within 1s");
    }

    @Test
    void aMissingSiteOrABadIdIsAUsageErrorBeforeConnecting() {
        assertThat(EdgekitCommand.commandLine().execute("cmd", "--broker", "tcp://127.0.0.1:1", id, "get"))
                .isEqualTo(2);
        assertThat(cmd("NOT VALID", "get").exit()).isEqualTo(2);
    }
}
