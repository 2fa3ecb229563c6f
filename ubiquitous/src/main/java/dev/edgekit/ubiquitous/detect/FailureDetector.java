package dev.edgekit.ubiquitous.detect;

import java.time.Duration;
import java.time.Instant;

/**
 * Judges one device from the arrival times of its heartbeats. Every method takes the time as an argument (OkHttp's
 * {@code cleanup(long now)} style): no clock inside, so tests drive it with any sequence of instants. Not thread-safe;
 * {@link LivenessMonitor} serialises access.
 */
public sealed interface FailureDetector permits PhiAccrualDetector, TimeoutDetector {

    /** A heartbeat arrived at {@code now}. */
    void heartbeat(Instant now);

    /** A new session began at {@code now} (a birth): the clock restarts, measured intervals are kept. */
    void restart(Instant now);

    /**
     * How suspicious the silence up to {@code now} is: phi for phi accrual, elapsed / suspectAfter for the timeout.
     * Zero before anything arrived.
     */
    double suspicion(Instant now);

    /** Whether {@link #suspicion(Instant)} has reached the configured threshold. */
    boolean suspects(Instant now);

    /** Silence since the last arrival, or null before any. */
    Duration silence(Instant now);

    /** The last arrival (heartbeat or restart), or null. */
    Instant lastArrival();

    /** Mean of the measured inter-arrival times, or null before two heartbeats. */
    Duration meanInterval();

    /** Heartbeats seen. */
    long heartbeats();
}
