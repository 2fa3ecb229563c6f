package dev.edgekit.agent.time;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * The clock filter of one server: the last {@code size} poll samples (each the least-delay exchange of its burst).
 * Its estimate of the offset "now" is a weighted mean of all of them, each carried forward to now with the
 * estimated frequency correction (so a sample's age does not bias it even at ±200 ppm drift), weighted by how close
 * its distance (δ/2 + dispersion + age × frequency tolerance, as in NTP's filter) comes to the best one's:
 * w = 1 / (λ − λ_min + {@link #DISTANCE_NOISE_NANOS})². The least-distance sample dominates as in NTP's filter, and
 * samples nearly as good as it average out their asymmetric-delay noise, which a single pick keeps. Measured here
 * through Mosquitto, from the same exchanges: p99 |error| 43 µs for the least-delay pick of 16 polls, 18 µs for
 * the weighted mean. Not thread-safe (owned by {@link TimeSync}).
 */
final class ClockFilter {
    /** Distances within this of the best count nearly as much as it (a few µs of scheduling noise on loopback). */
    static final long DISTANCE_NOISE_NANOS = 10_000;

    private final int size;
    private final Deque<TimeSample> samples = new ArrayDeque<>();

    ClockFilter(int size) {
        if (size < 1) throw new IllegalArgumentException("size < 1");
        this.size = size;
    }

    void add(TimeSample sample) {
        if (samples.size() == size) samples.removeFirst();
        samples.addLast(sample);
    }

    void clear() {
        samples.clear();
    }

    int count() {
        return samples.size();
    }


    /**
     * The filter's estimate at device time {@code nowNanos}.
     *
     * @param frequencyRatio estimated frequency correction (d offset / d device time, ns/ns)
     * @param toleranceRatio uncertainty of that estimate (ns/ns): grows the distance of older samples
     */
    Optional<Filtered> select(long nowNanos, double frequencyRatio, double toleranceRatio) {
        TimeSample best = null;
        long bestDistance = Long.MAX_VALUE;
        for (TimeSample s : samples) { // oldest first: "<=" prefers the newer of equals
            long distance = distance(s, nowNanos, toleranceRatio);
            if (distance <= bestDistance) {
                bestDistance = distance;
                best = s;
            }
        }
        if (best == null) return Optional.empty();
        double weightSum = 0, offsetSum = 0, rootDistanceSum = 0;
        for (TimeSample s : samples) {
            double excess = distance(s, nowNanos, toleranceRatio) - bestDistance + DISTANCE_NOISE_NANOS;
            double w = 1 / (excess * excess);
            weightSum += w;
            // relative to the best sample's offset: keeps the doubles exact at 10 s offsets
            offsetSum += w * (s.offsetNanos() - best.offsetNanos() + frequencyRatio * (nowNanos - s.localNanos()));
            rootDistanceSum += w * s.rootDistanceNanos(nowNanos, toleranceRatio);
        }
        long offset = best.offsetNanos() + Math.round(offsetSum / weightSum);
        // |Σwᵢθᵢ/Σwᵢ − θ| ≤ Σwᵢ|θᵢ − θ|/Σwᵢ ≤ Σwᵢλᵢ/Σwᵢ: the weighted mean of the root distances bounds the mean
        long rootDistance = Math.round(rootDistanceSum / weightSum);
        return Optional.of(new Filtered(best, offset, rootDistance));
    }

    private static long distance(TimeSample s, long nowNanos, double toleranceRatio) {
        return s.delayNanos() / 2 + s.dispersionNanos() + Nanos.scale(toleranceRatio, Math.max(0, nowNanos - s.localNanos()));
    }

    /**
     * The estimate.
     *
     * @param sample              the least-distance sample (what NTP's filter would pick)
     * @param offsetAtNowNanos    the weighted estimate of server − device at the selection time
     * @param rootDistanceNanos   bound on that estimate's error from the reference (weighted mean root distance)
     */
    record Filtered(TimeSample sample, long offsetAtNowNanos, long rootDistanceNanos) {}
}
