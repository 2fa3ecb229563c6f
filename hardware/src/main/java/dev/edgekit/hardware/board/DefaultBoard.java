package dev.edgekit.hardware.board;

import com.pi4j.context.Context;
import dev.edgekit.hardware.Actuator;
import dev.edgekit.hardware.ActuatorCommand;
import dev.edgekit.hardware.ActuatorState;
import dev.edgekit.hardware.Board;
import dev.edgekit.hardware.BoardHealth;
import dev.edgekit.hardware.BoardInfo;
import dev.edgekit.hardware.CommandRejectedException;
import dev.edgekit.hardware.CommandRejectedException.Reason;
import dev.edgekit.hardware.DeviceHealth;
import dev.edgekit.hardware.DeviceStatus;
import dev.edgekit.hardware.DutyCycleOutput;
import dev.edgekit.hardware.HardwareEventListener;
import dev.edgekit.hardware.Sensor;
import dev.edgekit.hardware.Switch;
import dev.edgekit.hardware.driver.DebouncedInput;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The board both {@link Boards#openReal} and {@link Boards#openSimulated} return (the latter wrapped). */
final class DefaultBoard implements Board {
    private static final Logger log = LoggerFactory.getLogger(DefaultBoard.class);

    private final BoardInfo info;
    private final Context context;
    private final EventDispatcher events;
    private final List<BoardAssembler.Opened> devices;
    private final Map<String, MonitoredSensor> sensors = new LinkedHashMap<>();
    private final Map<String, Actuator> actuators = new LinkedHashMap<>();
    private final List<DebouncedInput> inputs = new ArrayList<>();
    private final List<AutoCloseable> afterClose;
    private boolean closed;

    DefaultBoard(BoardInfo info, Context context, EventDispatcher events, List<BoardAssembler.Opened> devices,
                 List<AutoCloseable> afterClose) {
        this.info = info;
        this.context = context;
        this.events = events;
        this.devices = List.copyOf(devices);
        this.afterClose = List.copyOf(afterClose);
        for (BoardAssembler.Opened d : devices) {
            switch (d.device()) {
                case MonitoredSensor s -> sensors.put(s.name(), s);
                case Actuator a -> actuators.put(a.name(), a);
                case DebouncedInput in -> inputs.add(in);
                case null -> {
                }
                default -> throw new IllegalStateException("unexpected device " + d.device());
            }
        }
        BoardHealth health = health();
        if (health.degraded()) {
            log.warn("board {} opened degraded: {} of {} devices unavailable", info.defaultDeviceId(),
                    health.problems().size(), devices.size());
        } else {
            log.info("board {} ({}) opened with {} devices", info.defaultDeviceId(), info.model(), devices.size());
        }
    }

    @Override
    public BoardInfo info() {
        return info;
    }

    @Override
    public List<Sensor> sensors() {
        return List.copyOf(sensors.values());
    }

    @Override
    public Optional<Sensor> sensor(String name) {
        return Optional.ofNullable(sensors.get(name));
    }

    @Override
    public List<Actuator> actuators() {
        return List.copyOf(actuators.values());
    }

    @Override
    public Optional<Actuator> actuator(String name) {
        return Optional.ofNullable(actuators.get(name));
    }

    @Override
    public ActuatorState command(String name, ActuatorCommand command) {
        Objects.requireNonNull(command, "command");
        Actuator actuator = actuators.get(name);
        if (actuator == null) {
            Optional<BoardAssembler.Opened> failed = devices.stream().filter(d -> d.spec().name().equals(name)).findFirst();
            if (failed.isPresent() && !failed.get().ok()) {
                throw new CommandRejectedException(name, Reason.UNAVAILABLE, "actuator is unavailable: " + failed.get().failure());
            }
            throw new CommandRejectedException(name, Reason.UNKNOWN_ACTUATOR,
                    "no such actuator; this board has " + actuators.keySet());
        }
        try {
            switch (command) {
                case ActuatorCommand.SetOn(boolean on) -> {
                    switch (actuator) {
                        case Switch s -> s.set(on);
                        case DutyCycleOutput d -> d.setDutyCycle(on ? DutyCycleOutput.MAX_PERCENT : DutyCycleOutput.MIN_PERCENT);
                    }
                }
                case ActuatorCommand.SetDutyCycle(int percent) -> {
                    switch (actuator) {
                        case Switch s -> throw new CommandRejectedException(name, Reason.NOT_SUPPORTED,
                                "a " + s.kind() + " is switched on or off; it has no duty cycle");
                        case DutyCycleOutput d -> {
                            if (percent < DutyCycleOutput.MIN_PERCENT || percent > DutyCycleOutput.MAX_PERCENT) {
                                throw new CommandRejectedException(name, Reason.OUT_OF_RANGE,
                                        "duty cycle must be 0..100 %, was " + percent);
                            }
                            d.setDutyCycle(percent);
                        }
                    }
                }
            }
        } catch (CommandRejectedException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CommandRejectedException(name, Reason.FAILED, "command " + command + " failed: " + e.getMessage(), e);
        }
        log.debug("{} <- {}", name, command);
        return actuator.state();
    }

    @Override
    public AutoCloseable addListener(HardwareEventListener listener) {
        return events.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public BoardHealth health() {
        List<DeviceHealth> health = new ArrayList<>();
        for (BoardAssembler.Opened d : devices) {
            DeviceStatus status = !d.ok() ? new DeviceStatus.Unavailable(d.failure())
                    : d.device() instanceof MonitoredSensor s ? s.status()
                    : new DeviceStatus.Working();
            health.add(new DeviceHealth(d.spec().name(), d.spec().kind(), status));
        }
        return new BoardHealth(health);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (DebouncedInput input : inputs) {
            input.close();
        }
        for (Actuator actuator : actuators.values()) {
            try {
                switch (actuator) {
                    case Switch s -> s.set(false);
                    case DutyCycleOutput d -> d.setDutyCycle(0);
                }
            } catch (RuntimeException e) {
                log.warn("{}: could not switch off on close: {}", actuator.name(), e.toString());
            }
        }
        try {
            context.shutdown();
        } catch (RuntimeException e) {
            log.warn("Pi4J context shutdown failed: {}", e.toString());
        }
        for (AutoCloseable c : afterClose) {
            try {
                c.close();
            } catch (Exception e) {
                log.warn("board cleanup failed: {}", e.toString());
            }
        }
        log.info("board {} closed", info.defaultDeviceId());
    }

    Context context() {
        return context;
    }

    List<BoardAssembler.Opened> devices() {
        return devices;
    }
}
