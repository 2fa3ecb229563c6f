package dev.edgekit.hardware;

import java.util.Objects;

/**
 * One value read from a sensor channel. Readings carry no timestamp: the agent samples on its own schedule and stamps
 * each reading with its disciplined clock.
 */
public record Reading(Channel channel, double value) {
    public Reading {
        Objects.requireNonNull(channel, "channel");
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("reading of " + channel.name() + " is not finite: " + value);
        }
    }

    public Reading(String sensor, Quantity quantity, double value) {
        this(new Channel(sensor, quantity), value);
    }

    public String channelName() {
        return channel.name();
    }

    public Unit unit() {
        return channel.unit();
    }
}
