package dev.edgekit.agent.runtime;

import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.random.RandomGenerator;

/**
 * A simulated temperature: a daily cycle (coolest at 04:00, warmest at 16:00, UTC), a slow random walk and sensor
 * noise. Seeded, so a simulation run is reproducible.
 */
final class SimulatedTemperature {
    private final InstantSource clock;
    private final RandomGenerator random;
    private final double mean;
    private double walk;

    SimulatedTemperature(InstantSource clock, RandomGenerator random) {
        this.clock = clock;
        this.random = random;
        this.mean = 18 + random.nextDouble() * 6;
    }

    /** One reading in °C, rounded to the 0.01 °C a real sensor resolves. */
    double read() {
        Instant now = clock.instant();
        double hour = now.atOffset(ZoneOffset.UTC).toLocalTime().toSecondOfDay() / 3600.0;
        double daily = 4 * Math.sin((hour - 10) / 24 * 2 * Math.PI);
        walk = Math.max(-3, Math.min(3, walk + random.nextGaussian() * 0.02));
        double noise = random.nextGaussian() * 0.05;
        return Math.round((mean + daily + walk + noise) * 100) / 100.0;
    }
}
