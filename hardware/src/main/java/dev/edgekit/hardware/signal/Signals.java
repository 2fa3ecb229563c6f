package dev.edgekit.hardware.signal;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.random.RandomGenerator;

/** Factories for the usual signal models. */
public final class Signals {
    private static final double DAY_SECONDS = Duration.ofDays(1).toSeconds();
    private static final double HOUR_SECONDS = Duration.ofHours(1).toSeconds();

    private Signals() {
    }

    public static Signal constant(double value) {
        return at -> value;
    }

    /** {@code mean + amplitude·cos(2π (t − peak) / 24 h)}: highest at {@code peakAt} (UTC) each day. */
    public static Signal dailyCycle(double mean, double amplitude, LocalTime peakAt) {
        double peakSeconds = peakAt.toSecondOfDay();
        return at -> {
            double secondOfDay = at.atOffset(ZoneOffset.UTC).toLocalTime().toNanoOfDay() / 1e9;
            return mean + amplitude * Math.cos(2 * Math.PI * (secondOfDay - peakSeconds) / DAY_SECONDS);
        };
    }

    /** Independent Gaussian noise of standard deviation {@code sigma} on every sample. */
    public static Signal noise(double sigma, RandomGenerator random) {
        Objects.requireNonNull(random, "random");
        return at -> sigma * random.nextGaussian();
    }

    /**
     * A Gaussian random walk (Brownian motion) from {@code start}: between two samples {@code dt} apart it moves by
     * {@code N(0, sigmaPerSqrtHour² · dt / 1 h)}, so its spread after an hour is {@code sigmaPerSqrtHour} however often
     * it is sampled.
     */
    public static Signal randomWalk(double start, double sigmaPerSqrtHour, RandomGenerator random) {
        Objects.requireNonNull(random, "random");
        return new Signal() {
            private Instant last;
            private double value = start;

            @Override
            public double sample(Instant at) {
                if (last != null && at.isAfter(last)) {
                    double hours = Duration.between(last, at).toNanos() / 1e9 / HOUR_SECONDS;
                    value += sigmaPerSqrtHour * Math.sqrt(hours) * random.nextGaussian();
                }
                if (last == null || at.isAfter(last)) {
                    last = at;
                }
                return value;
            }
        };
    }
}
