package dev.edgekit.time;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The Berkeley master's computation, pure: from each member's estimated offset (member − master,
 * RTT-compensated by the caller with {@link Exchange.Cristian}), take the median, average only the
 * offsets within {@code tolerance} of it (fault-tolerant average), and give every member — those
 * left out of the average included — the adjustment that brings it to that average.
 */
public final class Berkeley {
    private Berkeley() {}

    /**
     * @param adjustment        what the member adds to its clock (average − its offset)
     * @param includedInAverage false for a member too far from the median to be trusted
     */
    public record Adjustment(Duration adjustment, boolean includedInAverage) {}

    /**
     * @param medianNanos  median of the offsets
     * @param averageNanos fault-tolerant average (the new common time, relative to the master)
     * @param adjustments  per member id, in input order
     */
    public record Round(long medianNanos, long averageNanos, Map<String, Adjustment> adjustments) {
        public Round {
            adjustments = Collections.unmodifiableMap(new LinkedHashMap<>(adjustments));
        }

        public List<String> excluded() {
            return adjustments.entrySet().stream().filter(e -> !e.getValue().includedInAverage())
                    .map(Map.Entry::getKey).toList();
        }
    }

    /**
     * @param offsets   member id → member − master offset; include the master itself with {@link Duration#ZERO}
     * @param tolerance how far from the median an offset may be and still count in the average
     */
    public static Round round(Map<String, Duration> offsets, Duration tolerance) {
        Objects.requireNonNull(tolerance);
        if (offsets.isEmpty()) throw new IllegalArgumentException("no members");
        if (tolerance.isNegative()) throw new IllegalArgumentException("negative tolerance");
        List<Long> sorted = new ArrayList<>();
        offsets.values().forEach(d -> sorted.add(d.toNanos()));
        Collections.sort(sorted);
        int n = sorted.size();
        long median = n % 2 == 1 ? sorted.get(n / 2)
                : Math.floorDiv(sorted.get(n / 2 - 1), 2) + Math.floorDiv(sorted.get(n / 2), 2);
        long tol = tolerance.toNanos();
        double sum = 0;
        int count = 0;
        for (long o : sorted) {
            if (Math.abs(o - median) <= tol) {
                sum += o - median; // relative to the median: exact in double
                count++;
            }
        }
        long average = count == 0 ? median : median + Math.round(sum / count);
        Map<String, Adjustment> adjustments = new LinkedHashMap<>();
        offsets.forEach((id, d) -> {
            long o = d.toNanos();
            adjustments.put(id, new Adjustment(Duration.ofNanos(average - o), Math.abs(o - median) <= tol));
        });
        return new Round(median, average, adjustments);
    }
}
