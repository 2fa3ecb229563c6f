package dev.edgekit.hardware.board;

import dev.edgekit.hardware.signal.Signal;
import java.util.List;

/** Drives a simulated BME280 from outside: what the chip will measure next, and its faults. */
public interface Bme280Handle {
    String name();

    /** @throws IllegalArgumentException outside the chip's -40..85 °C */
    void setTemperature(double celsius);

    /** @throws IllegalArgumentException outside 0..100 %RH */
    void setHumidity(double percent);

    /** @throws IllegalArgumentException outside the chip's 300..1100 hPa */
    void setPressure(double hectopascal);

    /** Values outside the chip's range are clamped to it, as the sensor saturates. */
    void driveTemperature(Signal celsius);

    void driveHumidity(Signal percent);

    void drivePressure(Signal hectopascal);

    void injectFault(Fault.Bme280Fault fault);

    void clearFaults();

    /** The register writes the driver made, oldest first: the most recent 64. */
    List<RegisterWrite> writes();
}
