package dev.edgekit.hardware;

import java.util.Objects;

/**
 * One measured quantity of one sensor. Its {@link #name()} ({@code sensor-quantity}, e.g. {@code env-temperature})
 * is a single MQTT topic level that matches the device-id rule {@code [a-z0-9][a-z0-9-]{0,62}} whenever the sensor's
 * config entry name does.
 */
public record Channel(String sensor, Quantity quantity) {
    public Channel {
        Objects.requireNonNull(sensor, "sensor");
        Objects.requireNonNull(quantity, "quantity");
    }

    public String name() {
        return sensor + "-" + quantity.shortName();
    }

    public Unit unit() {
        return quantity.unit();
    }
}
