package dev.edgekit.hardware;

/** A sensor could not be opened or read. {@link #sensor()} is the config entry name. */
public final class SensorException extends HardwareException {
    private final String sensor;

    public SensorException(String sensor, String message) {
        super(sensor + ": " + message);
        this.sensor = sensor;
    }

    public SensorException(String sensor, String message, Throwable cause) {
        super(sensor + ": " + message, cause);
        this.sensor = sensor;
    }

    public String sensor() {
        return sensor;
    }
}
