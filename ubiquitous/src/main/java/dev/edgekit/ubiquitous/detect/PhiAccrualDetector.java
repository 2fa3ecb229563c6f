package dev.edgekit.ubiquitous.detect;

import java.time.Duration;
import java.time.Instant;

/**
 * The phi-accrual failure detector (Hayashibara, Défago, Yared, Katayama 2004), as Akka and Cassandra use it: keeps a
 * window of heartbeat inter-arrival times, models them as a normal distribution, and turns the silence since the last
 * heartbeat into phi = −log10(P(a heartbeat comes later than this)). The normal CDF uses the logistic approximation
 * Akka uses (error below 0.02 %).
 *
 * <p>Before any interval has been measured the mean is the configured first estimate with a deviation of a quarter
 * of it. An interval longer than {@code lostAfter} (a device coming back after being lost) is not learned: it would
 * teach the detector to tolerate outages.
 */
final class PhiAccrualDetector implements FailureDetector {
    private final DetectorConfig config;
    private final long[] intervals;
    private int count;
    private int next;
    private double sum;
    private double sumOfSquares;
    private Instant last;
    private Instant previousHeartbeat;
    private long heartbeats;

    PhiAccrualDetector(DetectorConfig config) {
        this.config = config;
        this.intervals = new long[config.window()];
    }

    @Override
    public void heartbeat(Instant now) {
        if (previousHeartbeat != null && now.isAfter(previousHeartbeat)) {
            long nanos = Duration.between(previousHeartbeat, now).toNanos();
            if (nanos < config.lostAfter().toNanos()) {
                learn(nanos);
            }
        }
        previousHeartbeat = now;
        last = last == null || now.isAfter(last) ? now : last;
        heartbeats++;
    }

    @Override
    public void restart(Instant now) {
        last = now;
        previousHeartbeat = null; // the gap between a birth and the first heartbeat is not a heartbeat interval
    }

    private void learn(long nanos) {
        if (count == intervals.length) {
            long old = intervals[next];
            sum -= old;
            sumOfSquares -= (double) old * old;
        } else {
            count++;
        }
        intervals[next] = nanos;
        next = (next + 1) % intervals.length;
        sum += nanos;
        sumOfSquares += (double) nanos * nanos;
    }

    double meanNanos() {
        return count == 0 ? config.firstHeartbeatEstimate().toNanos() : sum / count;
    }

    double stdDeviationNanos() {
        double raw;
        if (count < 2) {
            raw = config.firstHeartbeatEstimate().toNanos() / 4.0;
        } else {
            double mean = sum / count;
            raw = Math.sqrt(Math.max(0, sumOfSquares / count - mean * mean));
        }
        return Math.max(raw, config.minStdDeviation().toNanos());
    }

    @Override
    public double suspicion(Instant now) {
        if (last == null) {
            return 0;
        }
        long elapsed = Math.max(0, Duration.between(last, now).toNanos());
        return phi(elapsed, meanNanos() + config.acceptablePause().toNanos(), stdDeviationNanos());
    }

    /** Akka's formula: phi for a silence of {@code elapsed} given the mean and deviation of the intervals. */
    static double phi(double elapsed, double mean, double stdDeviation) {
        double y = (elapsed - mean) / stdDeviation;
        double e = Math.exp(-y * (1.5976 + 0.070566 * y * y));
        double phi = elapsed > mean ? -Math.log10(e / (1.0 + e)) : -Math.log10(1.0 - 1.0 / (1.0 + e));
        return Double.isFinite(phi) ? phi : Double.MAX_VALUE;
    }

    @Override
    public boolean suspects(Instant now) {
        return suspicion(now) >= config.threshold();
    }

    @Override
    public Duration silence(Instant now) {
        return last == null ? null : Duration.between(last, now);
    }

    @Override
    public Instant lastArrival() {
        return last;
    }

    @Override
    public Duration meanInterval() {
        return count == 0 ? null : Duration.ofNanos(Math.round(sum / count));
    }

    @Override
    public long heartbeats() {
        return heartbeats;
    }
}
