package dev.edgekit.hardware.driver;

import com.pi4j.io.pwm.Pwm;
import dev.edgekit.hardware.ActuatorState;
import dev.edgekit.hardware.DutyCycleOutput;
import dev.edgekit.hardware.spec.Frequency;
import java.util.Objects;

/** A fan (or anything driven by duty cycle) on a hardware PWM channel, at a fixed frequency. Off when opened. */
public final class PwmOutput implements DutyCycleOutput {
    private final String name;
    private final Pwm pwm;
    private final Frequency frequency;

    private PwmOutput(String name, Pwm pwm, Frequency frequency) {
        this.name = name;
        this.pwm = pwm;
        this.frequency = frequency;
    }

    public static PwmOutput open(String name, Pwm pwm, Frequency frequency) {
        PwmOutput out = new PwmOutput(Objects.requireNonNull(name), Objects.requireNonNull(pwm), Objects.requireNonNull(frequency));
        out.setDutyCycle(0);
        return out;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String kind() {
        return "pwm";
    }

    public Frequency frequency() {
        return frequency;
    }

    @Override
    public synchronized void setDutyCycle(int percent) {
        if (percent < MIN_PERCENT || percent > MAX_PERCENT) {
            throw new IllegalArgumentException(name + ": duty cycle must be 0..100 %, was " + percent);
        }
        if (percent == 0) {
            pwm.off();
        } else {
            pwm.on(percent, frequency.hertz());
        }
    }

    @Override
    public synchronized int dutyCyclePercent() {
        if (!pwm.isOn()) {
            return 0;
        }
        Integer duty = pwm.getDutyCycle();
        return duty == null ? 0 : duty;
    }

    @Override
    public ActuatorState state() {
        int duty = dutyCyclePercent();
        return new ActuatorState(name, kind(), duty > 0, duty);
    }
}
