package dev.edgekit.agent.time;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The clock filter of one server: the last {@code size} samples (8, as in NTP); the chosen one is the
 * least-delay sample (ties and near-ties broken by age grown at the frequency tolerance), and its
 * offset is carried forward to "now" with the estimated frequency correction, so a sample's age
 * does not bias it even at ±200 ppm drift. Not thread-safe (owned by {@link TimeSync}).
 */
final class ClockFilter {
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

    List<TimeSample> samples() {
        return List.copyOf(samples);
    }

    /**
     * The least-delay sample, with its offset projected to device time {@code nowNanos}.
     *
     * @param frequencyRatio estimated frequency correction (d offset / d device time, ns/ns)
     * @param toleranceRatio uncertainty of that estimate (ns/ns), used only to break near-ties by age
     */
    Optional<Filtered> select(long nowNanos, double frequencyRatio, double toleranceRatio) {
        TimeSample best = null;
        long bestDistance = Long.MAX_VALUE;
        for (TimeSample s : samples) { // oldest first: "<=" prefers the newer of equals
            long distance = s.delayNanos() / 2 + s.dispersionNanos()
                    + Nanos.scale(toleranceRatio, Math.max(0, nowNanos - s.localNanos()));
            if (distance <= bestDistance) {
                bestDistance = distance;
                best = s;
            }
        }
        if (best == null) return Optional.empty();
        long projected = best.offsetNanos() + Nanos.scale(frequencyRatio, nowNanos - best.localNanos());
        return Optional.of(new Filtered(best, projected));
    }

    /** The chosen sample and its offset carried to the selection time. */
    record Filtered(TimeSample sample, long offsetAtNowNanos) {}
}
