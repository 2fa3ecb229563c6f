package dev.edgekit.hardware;

import java.util.List;
import java.util.Optional;

/**
 * An opened board: the devices of a {@link dev.edgekit.hardware.spec.BoardSpec} that could be opened, and the health
 * of all of them. Devices that failed to open are absent from {@link #sensors()} and {@link #actuators()} and reported
 * by {@link #health()}; the others work. Thread-safe.
 */
public interface Board extends AutoCloseable {
    BoardInfo info();

    /** Working sensors, in config order. */
    List<Sensor> sensors();

    Optional<Sensor> sensor(String name);

    /** Working actuators, in config order. */
    List<Actuator> actuators();

    Optional<Actuator> actuator(String name);

    /**
     * Commands an actuator by its config entry name, validating the command against the actuator's kind and range.
     *
     * @return the actuator's state after the command
     * @throws CommandRejectedException naming the actuator and a {@link CommandRejectedException.Reason}
     */
    ActuatorState command(String actuator, ActuatorCommand command);

    /** Adds a listener for button, motion and sensor-fault events; returns a handle that removes it. */
    AutoCloseable addListener(HardwareEventListener listener);

    BoardHealth health();

    /** Releases pins, buses and timers. Idempotent. */
    @Override
    void close();
}
