package dev.edgekit.hardware.board;

import com.pi4j.context.Context;
import com.pi4j.io.IO;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.PullResistance;
import com.pi4j.io.i2c.I2C;
import com.pi4j.io.pwm.Pwm;
import com.pi4j.io.pwm.PwmType;
import dev.edgekit.hardware.HardwareEvent;
import dev.edgekit.hardware.Sensor;
import dev.edgekit.hardware.driver.Bme280;
import dev.edgekit.hardware.driver.DebouncedInput;
import dev.edgekit.hardware.driver.DigitalSwitch;
import dev.edgekit.hardware.driver.Ds18b20;
import dev.edgekit.hardware.driver.PwmOutput;
import dev.edgekit.hardware.spec.ActiveLevel;
import dev.edgekit.hardware.spec.Bme280Spec;
import dev.edgekit.hardware.spec.BoardSpec;
import dev.edgekit.hardware.spec.DeviceSpec;
import dev.edgekit.hardware.spec.DigitalInputSpec;
import dev.edgekit.hardware.spec.DigitalOutputSpec;
import dev.edgekit.hardware.spec.Ds18b20Spec;
import dev.edgekit.hardware.spec.PwmOutputSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens every device of a spec against a Pi4J environment, one at a time and independently: a device that fails
 * (wrong pin, pin already taken, missing bus, absent or wrong chip, missing w1 folder) is recorded with a message
 * naming its config entry, and the others still open. Real and simulated boards share this code.
 */
final class BoardAssembler {
    private static final Logger log = LoggerFactory.getLogger(BoardAssembler.class);

    /** One configured device after opening: {@code device} is a MonitoredSensor, Actuator or DebouncedInput. */
    record Opened(DeviceSpec spec, Object device, IO<?, ?, ?> io, String failure) {
        boolean ok() {
            return failure == null;
        }
    }

    private final Pi4jEnvironment env;
    private final Consumer<HardwareEvent> events;
    private final Function<DeviceSpec, Runnable> beforeRead;
    private final Map<Integer, String> claimedPins = new HashMap<>();

    BoardAssembler(Pi4jEnvironment env, Consumer<HardwareEvent> events, Function<DeviceSpec, Runnable> beforeRead) {
        this.env = env;
        this.events = events;
        this.beforeRead = beforeRead;
    }

    List<Opened> open(BoardSpec spec) {
        List<Opened> opened = new ArrayList<>();
        for (DeviceSpec device : spec.devices()) {
            opened.add(open(device));
        }
        return opened;
    }

    private Opened open(DeviceSpec spec) {
        Context ctx = env.context();
        try {
            return switch (spec) {
                case Bme280Spec s -> openBme280(ctx, s);
                case Ds18b20Spec s -> openDs18b20(s);
                case DigitalInputSpec s -> openInput(ctx, s);
                case DigitalOutputSpec s -> openOutput(ctx, s);
                case PwmOutputSpec s -> openPwm(ctx, s);
            };
        } catch (RuntimeException e) {
            String reason = spec.kind() + " entry '" + spec.name() + "': " + describe(spec, e);
            log.error("hardware device not available: {}", reason);
            release(ctx, spec.name());
            return new Opened(spec, null, null, reason);
        }
    }

    private static String describe(DeviceSpec spec, RuntimeException e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        String prefix = spec.name() + ": ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    private Opened openBme280(Context ctx, Bme280Spec s) {
        if (!env.i2cBusExists().test(s.bus())) {
            throw new IllegalArgumentException("I2C bus " + s.bus() + " does not exist (no /dev/i2c-" + s.bus() + "); "
                    + env.missingBusHint());
        }
        if (s.bus() == 1) {
            claimShared(2, "i2c-1");
            claimShared(3, "i2c-1");
        }
        I2C i2c = ctx.create(I2C.newConfigBuilder(ctx).id(s.name()).name(s.name()).bus(s.bus()).device(s.address())
                .provider(env.i2cProvider()).build());
        Sensor sensor = Bme280.open(s.name(), i2c);
        return new Opened(s, monitored(s, sensor), i2c, null);
    }

    private Opened openDs18b20(Ds18b20Spec s) {
        Path w1 = env.w1DirectoryOverride().orElse(s.w1Directory());
        Sensor sensor = Ds18b20.open(s.name(), s.sensorId(), w1);
        return new Opened(s, monitored(s, sensor), null, null);
    }

    private Opened openInput(Context ctx, DigitalInputSpec s) {
        claim(s.pin(), s.name());
        PullResistance pull = switch (s.pull()) {
            case UP -> PullResistance.PULL_UP;
            case DOWN -> PullResistance.PULL_DOWN;
            case OFF -> PullResistance.OFF;
        };
        DigitalInput input = ctx.create(DigitalInput.newConfigBuilder(ctx).id(s.name()).name(s.name()).address(s.pin())
                .pull(pull).debounce(0L).provider(env.digitalInputProvider()).build());
        env.inputPreparation().accept(input, s);
        DebouncedInput debounced = DebouncedInput.open(s.name(), s.inputKind(), input, s.activeLevel(), s.debounce(),
                env.clock(), env.scheduler(), events);
        return new Opened(s, debounced, input, null);
    }

    private Opened openOutput(Context ctx, DigitalOutputSpec s) {
        claim(s.pin(), s.name());
        DigitalState off = s.activeLevel() == ActiveLevel.HIGH ? DigitalState.LOW : DigitalState.HIGH;
        DigitalOutput output = ctx.create(DigitalOutput.newConfigBuilder(ctx).id(s.name()).name(s.name()).address(s.pin())
                .initial(off).shutdown(off).provider(env.digitalOutputProvider()).build());
        return new Opened(s, DigitalSwitch.open(s.name(), s.kind(), output, s.activeLevel()), output, null);
    }

    private Opened openPwm(Context ctx, PwmOutputSpec s) {
        int channel = env.pins().pwmChannel(s.pin());
        claim(s.pin(), s.name());
        Pwm pwm = ctx.create(Pwm.newConfigBuilder(ctx).id(s.name()).name(s.name()).address(channel)
                .pwmType(PwmType.HARDWARE).frequency(s.frequency().hertz()).dutyCycle(0).initial(0).shutdown(0)
                .provider(env.pwmProvider()).build());
        return new Opened(s, PwmOutput.open(s.name(), pwm, s.frequency()), pwm, null);
    }

    private MonitoredSensor monitored(DeviceSpec spec, Sensor sensor) {
        return new MonitoredSensor(sensor, beforeRead.apply(spec), env.clock(), events);
    }

    private void claim(int pin, String owner) {
        env.pins().checkGpio(pin);
        String previous = claimedPins.putIfAbsent(pin, owner);
        if (previous != null) {
            throw new IllegalArgumentException("GPIO " + pin + " is already used by '" + previous + "'");
        }
    }

    private void claimShared(int pin, String owner) {
        String previous = claimedPins.putIfAbsent(pin, owner);
        if (previous != null && !previous.equals(owner)) {
            throw new IllegalArgumentException("I2C bus 1 needs GPIO " + pin + " (SDA/SCL), which is already used by '" + previous + "'");
        }
    }

    private static void release(Context ctx, String id) {
        try {
            if (ctx.registry().exists(id)) {
                ctx.shutdown(id);
            }
        } catch (RuntimeException e) {
            log.debug("releasing {} after a failed open: {}", id, e.toString());
        }
    }
}
