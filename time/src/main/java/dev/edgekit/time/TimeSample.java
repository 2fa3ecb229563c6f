package dev.edgekit.time;

import java.util.Objects;

/**
 * One accepted measurement of the device clock against a server.
 *
 * <p>{@code offsetNanos} is server time − <em>raw device</em> time (the device clock, not the
 * disciplined one), so corrections applied to the disciplined clock never change stored samples.
 * The true offset lies within {@code offsetNanos ± (delayNanos/2 + dispersionNanos)} when the
 * server's clock is right; add the server's root delay/2 and root dispersion for the distance to
 * the reference.
 *
 * @param serverId            who answered
 * @param stratum             the server's stratum
 * @param offsetNanos         θ: server − device
 * @param delayNanos          δ: round-trip delay minus server processing (for {@code bounded}: Tmax − Tmin)
 * @param dispersionNanos     read errors of both clocks (precision terms) added to the half-width
 * @param localNanos          the device-clock time the sample refers to (t4)
 * @param rootDelayNanos      the server's root delay
 * @param rootDispersionNanos the server's root dispersion
 */
public record TimeSample(String serverId, int stratum, long offsetNanos, long delayNanos, long dispersionNanos,
                         long localNanos, long rootDelayNanos, long rootDispersionNanos) {
    public TimeSample {
        Objects.requireNonNull(serverId, "serverId");
    }

    /** Half-width of the interval the true server−device offset lies in, at the time of the sample. */
    public long halfWidthNanos() {
        return delayNanos / 2 + dispersionNanos;
    }

    /**
     * Root distance (RFC 5905 λ) at device time {@code nowNanos}: the half-width to the reference,
     * grown at {@code toleranceRatio} (frequency uncertainty, ns/ns) since the sample was taken.
     */
    public long rootDistanceNanos(long nowNanos, double toleranceRatio) {
        long age = Math.max(0, nowNanos - localNanos);
        return (rootDelayNanos + delayNanos) / 2 + rootDispersionNanos + dispersionNanos
                + Nanos.scale(toleranceRatio, age);
    }
}
