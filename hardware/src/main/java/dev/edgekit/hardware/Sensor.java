package dev.edgekit.hardware;

import java.util.List;

/**
 * A sensor the agent samples on its own schedule. {@link #read()} is synchronous: it talks to the chip (an I2C
 * transfer, a sysfs file read) on the calling thread and returns one reading per channel, or throws.
 */
public interface Sensor {
    /** The config entry name, e.g. {@code env}. */
    String name();

    /** The driver, e.g. {@code bme280} or {@code ds18b20}. */
    String kind();

    /** The channels every successful {@link #read()} returns, in that order. */
    List<Channel> channels();

    /**
     * Reads the sensor now.
     *
     * @throws SensorException when the chip does not answer, answers nonsense, or its data fails a check; the message
     *                         names the config entry
     */
    List<Reading> read() throws SensorException;
}
