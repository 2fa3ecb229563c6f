package dev.edgekit.hardware.board;

import dev.edgekit.hardware.signal.Signal;
import java.nio.file.Path;

/** Drives a simulated DS18B20 from outside. */
public interface Ds18b20Handle {
    String name();

    /** @throws IllegalArgumentException outside the sensor's -55..125 °C */
    void setTemperature(double celsius);

    void driveTemperature(Signal celsius);

    void injectFault(Fault.Ds18b20Fault fault);

    void clearFaults();

    /** The simulated {@code w1_slave} file (rewritten before every read). */
    Path w1SlaveFile();
}
