package dev.edgekit.hardware.board;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.pwm.Pwm;
import com.pi4j.plugin.mock.platform.MockPlatform;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;
import com.pi4j.plugin.mock.provider.i2c.MockI2CProvider;
import com.pi4j.plugin.mock.provider.pwm.MockPwmProvider;
import dev.edgekit.hardware.Actuator;
import dev.edgekit.hardware.ActuatorCommand;
import dev.edgekit.hardware.ActuatorState;
import dev.edgekit.hardware.BoardHealth;
import dev.edgekit.hardware.BoardInfo;
import dev.edgekit.hardware.HardwareEventListener;
import dev.edgekit.hardware.Sensor;
import dev.edgekit.hardware.driver.Bme280;
import dev.edgekit.hardware.driver.Bme280Calibration;
import dev.edgekit.hardware.driver.DebouncedInput;
import dev.edgekit.hardware.signal.Signal;
import dev.edgekit.hardware.signal.Signals;
import dev.edgekit.hardware.spec.ActiveLevel;
import dev.edgekit.hardware.spec.Bme280Spec;
import dev.edgekit.hardware.spec.BoardSpec;
import dev.edgekit.hardware.spec.DeviceSpec;
import dev.edgekit.hardware.spec.DigitalInputSpec;
import dev.edgekit.hardware.spec.Ds18b20Spec;
import dev.edgekit.hardware.spec.Pull;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;

/** A {@link DefaultBoard} over Pi4J's mock plugin and our chip models, plus the handles that drive them. */
final class DefaultSimulatedBoard implements SimulatedBoard {
    private final DefaultBoard board;
    private final Map<String, Bme280ChipModel> bme280s;
    private final Map<String, Ds18b20Model> ds18b20s;
    private final Map<String, BoardAssembler.Opened> opened = new HashMap<>();

    private DefaultSimulatedBoard(DefaultBoard board, Map<String, Bme280ChipModel> bme280s, Map<String, Ds18b20Model> ds18b20s) {
        this.board = board;
        this.bme280s = bme280s;
        this.ds18b20s = ds18b20s;
        for (BoardAssembler.Opened d : board.devices()) {
            opened.put(d.spec().name(), d);
        }
    }

    static DefaultSimulatedBoard open(BoardSpec spec, InstantSource clock, ScheduledExecutorService scheduler,
                                      SimulationSettings settings) {
        List<AutoCloseable> cleanup = new ArrayList<>();
        Path w1 = settings.w1Directory().orElseGet(() -> {
            Path dir = createTempDirectory();
            cleanup.add(() -> deleteRecursively(dir));
            return dir;
        });
        RegisterMapI2CProvider i2c = new RegisterMapI2CProvider(settings.i2cBuses());
        Map<String, Bme280ChipModel> bme280s = new HashMap<>();
        Map<String, Ds18b20Model> ds18b20s = new HashMap<>();
        for (DeviceSpec device : spec.devices()) {
            if (settings.absentDevices().contains(device.name())) {
                continue;
            }
            RandomGenerator random = new SplittableRandom(settings.seed() ^ (device.name().hashCode() * 0x9E3779B97F4A7C15L));
            switch (device) {
                case Bme280Spec s -> {
                    Bme280ChipModel chip = new Bme280ChipModel(s.bus(), s.address(),
                            settings.chipIds().getOrDefault(s.name(), Bme280.CHIP_ID), Bme280Calibration.typical(), clock,
                            settings.constantSignals() ? Signals.constant(21.0) : indoorTemperature(random),
                            settings.constantSignals() ? Signals.constant(45.0) : indoorHumidity(random),
                            settings.constantSignals() ? Signals.constant(1013.25) : barometricPressure(random));
                    i2c.place(s.bus(), s.address(), chip);
                    bme280s.put(s.name(), chip);
                }
                case Ds18b20Spec s -> ds18b20s.put(s.name(), new Ds18b20Model(w1, s.sensorId(), clock,
                        settings.constantSignals() ? Signals.constant(20.0) : probeTemperature(random)));
                default -> {
                }
            }
        }
        Context context = Pi4J.newContextBuilder()
                .noAutoDetect()
                .disableShutdownHook()
                .add(new MockPlatform())
                .add(MockDigitalInputProvider.newInstance(), MockDigitalOutputProvider.newInstance(),
                        MockPwmProvider.newInstance(), i2c)
                .build();
        Pi4jEnvironment env = new Pi4jEnvironment(context,
                MockDigitalInputProvider.ID, MockDigitalOutputProvider.ID, MockPwmProvider.ID, MockI2CProvider.ID,
                PinMap.classic(), i2c::hasBus, "this simulated board has I2C bus(es) " + settings.i2cBuses(),
                Optional.of(w1), DefaultSimulatedBoard::idleLevel, clock, scheduler);
        EventDispatcher events = new EventDispatcher();
        Function<DeviceSpec, Runnable> beforeRead = device -> {
            Ds18b20Model model = ds18b20s.get(device.name());
            return model == null ? () -> { } : model::convert;
        };
        List<BoardAssembler.Opened> devices = new BoardAssembler(env, events, beforeRead).open(spec);
        BoardInfo info = new BoardInfo("simulated (Pi4J mock)", Optional.of(settings.serial()),
                Boards.defaultDeviceId(Optional.of(settings.serial()), Optional.empty()), true);
        return new DefaultSimulatedBoard(new DefaultBoard(info, context, events, devices, cleanup), bme280s, ds18b20s);
    }

    /** A simulated pin starts where its pull resistor holds it: high with a pull-up, low otherwise. */
    private static void idleLevel(DigitalInput input, DigitalInputSpec spec) {
        ((MockDigitalInput) input).mockState(spec.pull() == Pull.UP ? DigitalState.HIGH : DigitalState.LOW);
    }

    // ---- realistic default signals: a room and a probe outside, slowly wandering ----

    private static Signal indoorTemperature(RandomGenerator random) {
        return Signals.dailyCycle(21.0, 2.0, LocalTime.of(15, 0))
                .plus(Signals.randomWalk(0, 0.3, random))
                .plus(Signals.noise(0.05, random));
    }

    private static Signal indoorHumidity(RandomGenerator random) {
        return Signals.dailyCycle(48.0, 6.0, LocalTime.of(5, 0))
                .plus(Signals.randomWalk(0, 1.0, random))
                .plus(Signals.noise(0.3, random))
                .clamped(0, 100);
    }

    private static Signal barometricPressure(RandomGenerator random) {
        return Signals.randomWalk(1013.25, 0.6, random).plus(Signals.noise(0.03, random)).clamped(950, 1050);
    }

    private static Signal probeTemperature(RandomGenerator random) {
        return Signals.dailyCycle(12.0, 5.0, LocalTime.of(15, 0))
                .plus(Signals.randomWalk(0, 0.4, random))
                .plus(Signals.noise(0.03, random));
    }

    // ---- handles ----

    @Override
    public Bme280Handle bme280(String name) {
        Bme280ChipModel chip = bme280s.get(name);
        if (chip == null) {
            throw new IllegalArgumentException("no simulated bme280 '" + name + "' (present: " + bme280s.keySet() + ")");
        }
        return new Bme280Handle() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void setTemperature(double celsius) {
                check(celsius, Bme280ChipModel.MIN_CELSIUS, Bme280ChipModel.MAX_CELSIUS, "°C");
                chip.setTemperature(Signals.constant(celsius));
            }

            @Override
            public void setHumidity(double percent) {
                check(percent, 0, 100, "%RH");
                chip.setHumidity(Signals.constant(percent));
            }

            @Override
            public void setPressure(double hectopascal) {
                check(hectopascal, Bme280ChipModel.MIN_HPA, Bme280ChipModel.MAX_HPA, "hPa");
                chip.setPressure(Signals.constant(hectopascal));
            }

            @Override
            public void driveTemperature(Signal celsius) {
                chip.setTemperature(celsius);
            }

            @Override
            public void driveHumidity(Signal percent) {
                chip.setHumidity(percent);
            }

            @Override
            public void drivePressure(Signal hectopascal) {
                chip.setPressure(hectopascal);
            }

            @Override
            public void injectFault(Fault.Bme280Fault fault) {
                chip.inject(fault);
            }

            @Override
            public void clearFaults() {
                chip.clearFaults();
            }

            @Override
            public List<RegisterWrite> writes() {
                return chip.writes();
            }
        };
    }

    @Override
    public Ds18b20Handle ds18b20(String name) {
        Ds18b20Model model = ds18b20s.get(name);
        if (model == null) {
            throw new IllegalArgumentException("no simulated ds18b20 '" + name + "' (present: " + ds18b20s.keySet() + ")");
        }
        return new Ds18b20Handle() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void setTemperature(double celsius) {
                check(celsius, -55, 125, "°C");
                model.setTemperature(Signals.constant(celsius));
            }

            @Override
            public void driveTemperature(Signal celsius) {
                model.setTemperature(celsius);
            }

            @Override
            public void injectFault(Fault.Ds18b20Fault fault) {
                model.inject(fault);
            }

            @Override
            public void clearFaults() {
                model.clearFaults();
            }

            @Override
            public Path w1SlaveFile() {
                return model.file();
            }
        };
    }

    @Override
    public InputHandle input(String name) {
        BoardAssembler.Opened d = openedOfKind(name, DebouncedInput.class, "digital input");
        MockDigitalInput pin = (MockDigitalInput) d.io();
        DebouncedInput input = (DebouncedInput) d.device();
        ActiveLevel level = ((DigitalInputSpec) d.spec()).activeLevel();
        return new InputHandle() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void setActive(boolean active) {
                setLevel(level == ActiveLevel.HIGH ? active : !active);
            }

            @Override
            public void setLevel(boolean high) {
                pin.mockState(high ? DigitalState.HIGH : DigitalState.LOW);
            }

            @Override
            public boolean isActive() {
                return input.isActive();
            }
        };
    }

    @Override
    public OutputHandle output(String name) {
        DigitalOutput pin = (DigitalOutput) openedOfKind(name, dev.edgekit.hardware.Switch.class, "digital output").io();
        return new OutputHandle() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public boolean isHigh() {
                return pin.state() == DigitalState.HIGH;
            }
        };
    }

    @Override
    public PwmHandle pwm(String name) {
        Pwm pwm = (Pwm) openedOfKind(name, dev.edgekit.hardware.DutyCycleOutput.class, "pwm output").io();
        return new PwmHandle() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public boolean isOn() {
                return pwm.isOn();
            }

            @Override
            public int dutyCyclePercent() {
                Integer duty = pwm.getDutyCycle();
                return duty == null ? 0 : duty;
            }

            @Override
            public int frequencyHertz() {
                return pwm.getFrequency();
            }
        };
    }

    private BoardAssembler.Opened openedOfKind(String name, Class<?> type, String what) {
        BoardAssembler.Opened d = opened.get(name);
        if (d == null || !d.ok() || !type.isInstance(d.device())) {
            List<String> names = opened.values().stream().filter(o -> o.ok() && type.isInstance(o.device()))
                    .map(o -> o.spec().name()).sorted().toList();
            throw new IllegalArgumentException("no working simulated " + what + " '" + name + "' (present: " + names + ")");
        }
        return d;
    }

    private static void check(double value, double min, double max, String unit) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException("value " + value + " " + unit + " is outside the sensor's range " + min + ".." + max + " " + unit);
        }
    }

    private static Path createTempDirectory() {
        try {
            return Files.createTempDirectory("edgekit-w1-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary w1 directory", e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    // ---- Board, by delegation ----

    @Override
    public BoardInfo info() {
        return board.info();
    }

    @Override
    public List<Sensor> sensors() {
        return board.sensors();
    }

    @Override
    public Optional<Sensor> sensor(String name) {
        return board.sensor(name);
    }

    @Override
    public List<Actuator> actuators() {
        return board.actuators();
    }

    @Override
    public Optional<Actuator> actuator(String name) {
        return board.actuator(name);
    }

    @Override
    public ActuatorState command(String actuator, ActuatorCommand command) {
        return board.command(actuator, command);
    }

    @Override
    public AutoCloseable addListener(HardwareEventListener listener) {
        return board.addListener(listener);
    }

    @Override
    public BoardHealth health() {
        return board.health();
    }

    @Override
    public void close() {
        board.close();
    }
}
