package dev.edgekit.agent.runtime;

import dev.edgekit.hardware.Actuator;
import dev.edgekit.hardware.ActuatorCommand;
import dev.edgekit.hardware.ActuatorState;
import dev.edgekit.hardware.Board;
import java.util.List;

/**
 * The one path to the board's outputs: MQTT 5 commands, plain-topic commands and the shadow all come through here, so
 * every change is validated by the board the same way and heard by the {@link AgentListener}s.
 */
final class Outputs {
    private final Board board;
    private final AgentListener listener;

    Outputs(Board board, AgentListener listener) {
        this.board = board;
        this.listener = listener;
    }

    /** @throws dev.edgekit.hardware.CommandRejectedException naming the output and the reason */
    ActuatorState command(String actuator, ActuatorCommand command) {
        ActuatorState state = board.command(actuator, command);
        listener.outputChanged(state);
        return state;
    }

    List<ActuatorState> states() {
        return board.actuators().stream().map(Actuator::state).toList();
    }
}
