package dev.edgekit.hardware.driver;

import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import dev.edgekit.hardware.ActuatorState;
import dev.edgekit.hardware.Switch;
import dev.edgekit.hardware.spec.ActiveLevel;
import java.util.Objects;

/** An LED or relay on a GPIO output. Off when opened. */
public final class DigitalSwitch implements Switch {
    private final String name;
    private final String kind;
    private final DigitalOutput output;
    private final ActiveLevel activeLevel;

    private DigitalSwitch(String name, String kind, DigitalOutput output, ActiveLevel activeLevel) {
        this.name = name;
        this.kind = kind;
        this.output = output;
        this.activeLevel = activeLevel;
    }

    public static DigitalSwitch open(String name, String kind, DigitalOutput output, ActiveLevel activeLevel) {
        DigitalSwitch s = new DigitalSwitch(Objects.requireNonNull(name), Objects.requireNonNull(kind),
                Objects.requireNonNull(output), Objects.requireNonNull(activeLevel));
        s.set(false);
        return s;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String kind() {
        return kind;
    }

    @Override
    public synchronized void set(boolean on) {
        boolean high = activeLevel == ActiveLevel.HIGH ? on : !on;
        output.state(high ? DigitalState.HIGH : DigitalState.LOW);
    }

    @Override
    public synchronized boolean isOn() {
        boolean high = output.state() == DigitalState.HIGH;
        return activeLevel == ActiveLevel.HIGH ? high : !high;
    }

    @Override
    public ActuatorState state() {
        boolean on = isOn();
        return new ActuatorState(name, kind, on, on ? 100 : 0);
    }
}
