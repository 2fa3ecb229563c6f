package dev.edgekit.agent.runtime;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.edgekit.hardware.board.Boards;
import dev.edgekit.hardware.board.SimulatedBoard;
import dev.edgekit.hardware.board.SimulationSettings;
import dev.edgekit.hardware.spec.BoardSpec;
import dev.edgekit.hardware.spec.DigitalOutputSpec;
import dev.edgekit.protocol.message.CommandReply;
import dev.edgekit.testkit.ManualScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A command body that names another device is refused, not carried out. */
class ForeignCommandTest {
    private final ManualScheduler scheduler = new ManualScheduler();
    private final SimulatedBoard board = Boards.openSimulated(BoardSpec.of(DigitalOutputSpec.led("status", 22)),
            scheduler.clock(), scheduler, SimulationSettings.seeded(1));
    private final CommandHandler handler = new CommandHandler("lab1", "pi-01", board, scheduler, scheduler.clock());

    @AfterEach
    void close() {
        board.close();
    }

    @Test
    void aSetNamingAnotherDeviceIsRefusedAndTheActuatorIsUntouched() {
        CommandReply reply = handler.execute("set",
                "{\"v\":1,\"id\":\"pi-02\",\"actuator\":\"status\",\"on\":true}".getBytes(UTF_8));

        assertThat(reply).isInstanceOfSatisfying(CommandReply.Error.class,
                e -> assertThat(e.message()).contains("'id' names another device (\"pi-02\")"));
        assertThat(board.output("status").isHigh()).isFalse();
    }

    @Test
    void aSetNamingThisDeviceIsCarriedOut() {
        CommandReply reply = handler.execute("set",
                "{\"v\":1,\"id\":\"pi-01\",\"actuator\":\"status\",\"on\":true}".getBytes(UTF_8));

        assertThat(reply).isInstanceOf(CommandReply.Ok.class);
        assertThat(board.output("status").isHigh()).isTrue();
    }

    @Test
    void aGetNamingAnotherDeviceOrANonStringIdIsRefused() {
        assertThat(handler.execute("get", "{\"v\":1,\"id\":\"pi-02\"}".getBytes(UTF_8)))
                .isInstanceOf(CommandReply.Error.class);
        assertThat(handler.execute("get", "{\"v\":1,\"id\":7}".getBytes(UTF_8))).isInstanceOf(CommandReply.Error.class);
    }

    @Test
    void aSetWithADuplicateKeyIsRefused() {
        CommandReply reply = handler.execute("set",
                "{\"v\":1,\"actuator\":\"status\",\"on\":false,\"on\":true}".getBytes(UTF_8));

        assertThat(reply).isInstanceOf(CommandReply.Error.class);
        assertThat(board.output("status").isHigh()).isFalse();
    }
}
