package dev.edgekit.agent.runtime;

import dev.edgekit.hardware.Actuator;
import dev.edgekit.hardware.Board;
import dev.edgekit.hardware.BoardHealth;
import dev.edgekit.hardware.BoardInfo;
import dev.edgekit.hardware.Channel;
import dev.edgekit.hardware.DeviceHealth;
import dev.edgekit.hardware.DeviceStatus;
import dev.edgekit.hardware.DutyCycleOutput;
import dev.edgekit.hardware.Sensor;
import dev.edgekit.hardware.Switch;
import dev.edgekit.protocol.message.Birth;
import dev.edgekit.protocol.message.Capability;
import dev.edgekit.protocol.message.SetRequest;
import java.util.ArrayList;
import java.util.List;

/** What a board contributes to the birth certificate and the heartbeat: capabilities, model, degraded parts. */
final class BoardReport {
    private BoardReport() {
    }

    /** Every sensor channel with its unit, every actuator (PWM in "%"), and the commands {@code set} and {@code get}. */
    static List<Capability> capabilities(Board board) {
        List<Capability> capabilities = new ArrayList<>();
        for (Sensor sensor : board.sensors()) {
            for (Channel channel : sensor.channels()) {
                capabilities.add(Capability.sensor(channel.name(), channel.unit().symbol()));
            }
        }
        for (Actuator actuator : board.actuators()) {
            capabilities.add(Capability.actuator(actuator.name(), switch (actuator) {
                case DutyCycleOutput d -> "%";
                case Switch s -> null;
            }));
        }
        capabilities.add(Capability.command(SetRequest.COMMAND));
        capabilities.add(Capability.command(SetRequest.GET_COMMAND));
        return capabilities;
    }

    static Birth.Board board(BoardInfo info) {
        return new Birth.Board(info.model(), info.serial().orElse(null));
    }

    /** One line per device that is not working, naming its config entry: {@code env (bme280) failing: I2C NACK …}. */
    static List<String> degraded(BoardHealth health) {
        return health.problems().stream().map(BoardReport::describe).toList();
    }

    private static String describe(DeviceHealth device) {
        String state = switch (device.status()) {
            case DeviceStatus.Failing f -> "failing: " + withoutEntry(device.name(), f.reason());
            case DeviceStatus.Unavailable u -> "unavailable: " + withoutEntry(device.name(), u.reason());
            case DeviceStatus.Working w -> "working";
        };
        return device.name() + " (" + device.kind() + ") " + state;
    }

    /** The hardware module's reasons start with the entry name; said once is enough. */
    private static String withoutEntry(String name, String reason) {
        if (reason == null) {
            return "unknown reason";
        }
        return reason.startsWith(name + ": ") ? reason.substring(name.length() + 2) : reason;
    }
}
