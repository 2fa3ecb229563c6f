package dev.edgekit.hardware.board;

import dev.edgekit.hardware.Board;
import dev.edgekit.hardware.BoardInfo;
import dev.edgekit.hardware.HardwareUnavailableException;
import dev.edgekit.hardware.spec.BoardSpec;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Where boards come from. The agent calls {@link #openReal} unless its config says {@code board: simulated} (or the
 * command line {@code --simulated}), in which case it calls {@link #openSimulated}; this class never picks one for
 * the other. Both take the clock that stamps events and the scheduler that runs debounce timers; neither blocks beyond
 * opening the devices.
 */
public final class Boards {
    /** The device id used when neither a serial number nor a host name gives one. */
    public static final String FALLBACK_DEVICE_ID = "edgekit-device";

    private Boards() {
    }

    /**
     * Opens the Raspberry Pi this process runs on.
     *
     * @throws HardwareUnavailableException when this is not a Raspberry Pi or Pi4J's providers cannot start; the
     *                                      message says how to choose simulated hardware instead
     */
    public static Board openReal(BoardSpec spec, InstantSource clock, ScheduledExecutorService scheduler) {
        return openReal(spec, clock, scheduler, HostProbe.system());
    }

    static Board openReal(BoardSpec spec, InstantSource clock, ScheduledExecutorService scheduler, HostProbe probe) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(scheduler, "scheduler");
        if (!probe.isRaspberryPi()) {
            String seen = probe.model().map(m -> "the device tree says this is '" + m + "'")
                    .orElse(probe.path("/proc/device-tree/model") + " does not exist");
            throw new HardwareUnavailableException("No Raspberry Pi found (" + seen
                    + "), so Pi4J has no usable GPIO, I2C or PWM provider on this machine");
        }
        if (!probe.hasGpioChip()) {
            throw new HardwareUnavailableException("This Raspberry Pi has no " + probe.path("/dev/gpiochip0")
                    + ", so Pi4J's gpiod provider cannot drive its pins (is the user in the gpio group?)");
        }
        Pi4jEnvironment env;
        try {
            env = RealPi4j.environment(probe, clock, scheduler);
        } catch (RuntimeException | LinkageError e) {
            throw new HardwareUnavailableException("Pi4J could not start its Raspberry Pi providers (" + e + ")", e);
        }
        BoardInfo info = new BoardInfo(
                RealPi4j.boardModel(env.context()).or(probe::model).orElse("Raspberry Pi"),
                probe.serial(), defaultDeviceId(probe.serial(), probe.hostname()), false);
        EventDispatcher events = new EventDispatcher();
        List<BoardAssembler.Opened> opened = new BoardAssembler(env, events, s -> () -> { }).open(spec);
        return new DefaultBoard(info, env.context(), events, opened, List.of());
    }

    /** Opens a simulated board: Pi4J's mock plugin plus edgekit's chip models, seeded by {@code settings}. */
    public static SimulatedBoard openSimulated(BoardSpec spec, InstantSource clock, ScheduledExecutorService scheduler,
                                               SimulationSettings settings) {
        return DefaultSimulatedBoard.open(Objects.requireNonNull(spec, "spec"), Objects.requireNonNull(clock, "clock"),
                Objects.requireNonNull(scheduler, "scheduler"), Objects.requireNonNull(settings, "settings"));
    }

    /** The serial number as a device id, else the host name, else {@link #FALLBACK_DEVICE_ID}. */
    static String defaultDeviceId(Optional<String> serial, Optional<String> hostname) {
        return serial.flatMap(BoardInfo::deviceIdFrom)
                .or(() -> hostname.flatMap(BoardInfo::deviceIdFrom))
                .orElse(FALLBACK_DEVICE_ID);
    }
}
