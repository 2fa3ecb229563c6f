package dev.edgekit.tools.fleet;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What the independent subscriber saw of one device ({@link ArrivalTally}). */
final class DeviceLog {
    /** Bounds per device, so a hostile publisher cannot grow the bench without limit. */
    static final int MAX_ENTRIES = 5_000_000;
    static final int MAX_CHANNELS = 64;

    double firstBirth;
    long lastBirthSeq = -1;
    int births;
    final List<Double> offlines = new ArrayList<>();
    final List<Double> heartbeats = new ArrayList<>();
    private long[] seqs = new long[256];
    private double[] arrivals = new double[256];
    private int size;
    private final Map<String, List<Instant>> samples = new HashMap<>();

    void state(String status, long birthSeq, double arrival) {
        switch (status) {
            case "online" -> {
                births++;
                lastBirthSeq = birthSeq;
                if (firstBirth == 0) {
                    firstBirth = arrival;
                }
            }
            case "offline" -> offlines.add(arrival);
            default -> throw new IllegalArgumentException("status " + status);
        }
    }

    void entry(long seq, double arrival) {
        if (size == MAX_ENTRIES) {
            throw new IllegalStateException("too many entries");
        }
        if (size == seqs.length) {
            seqs = Arrays.copyOf(seqs, size * 2);
            arrivals = Arrays.copyOf(arrivals, size * 2);
        }
        seqs[size] = seq;
        arrivals[size] = arrival;
        size++;
    }

    void sample(String channel, Instant time) {
        List<Instant> series = samples.get(channel);
        if (series == null) {
            if (samples.size() >= MAX_CHANNELS) {
                throw new IllegalStateException("too many channels");
            }
            series = new ArrayList<>();
            samples.put(channel, series);
        }
        series.add(time);
    }

    record Seqs(long unique, long duplicates, long gaps, long inFlight) {
    }

    /**
     * Unique sequence numbers, duplicates, and the numbers missing between the lowest and highest seen. A hole whose
     * upper edge arrived after {@code inFlightAfter} may still have been on its way at the stop: counted apart.
     */
    Seqs seqs(double inFlightAfter) {
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Long.compare(seqs[x], seqs[y]));
        long unique = 0, duplicates = 0, gaps = 0, inFlight = 0;
        for (int k = 0; k < size; k++) {
            long seq = seqs[order[k]];
            if (k > 0) {
                long previous = seqs[order[k - 1]];
                if (seq == previous) {
                    duplicates++;
                    continue;
                }
                long hole = seq - previous - 1;
                if (arrivals[order[k]] > inFlightAfter) {
                    inFlight += hole;
                } else {
                    gaps += hole;
                }
            }
            unique++;
        }
        return new Seqs(unique, duplicates, gaps, inFlight);
    }

    /** Heartbeat silences longer than {@code limit} while the device ran, including a silence up to the stop. */
    long suspicions(double limit, double stopAt) {
        if (heartbeats.isEmpty()) {
            return firstBirth > 0 && stopAt - firstBirth > limit ? 1 : 0;
        }
        double[] at = heartbeats.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        long count = 0;
        for (int i = 1; i < at.length; i++) {
            if (at[i] - at[i - 1] > limit) {
                count++;
            }
        }
        return count + (stopAt - at[at.length - 1] > limit ? 1 : 0);
    }

    long offlinesBefore(double until) {
        return offlines.stream().filter(t -> t < until).count();
    }

    /**
     * Sampling lag of each sample after the warm-up, in seconds: how far its payload time is behind the earliest phase
     * of its channel's schedule ({@code t_k - k·interval}, minimised over the series). A sampler on time gives ~0;
     * one that falls behind gives a lag that grows. The payload time is the device's disciplined clock, so the first
     * seconds (the clock's first step) are left out.
     */
    void lags(double interval, double warmupSeconds, List<Double> out) {
        lags(interval, warmupSeconds, Double.NEGATIVE_INFINITY, out);
    }

    /** As above, only samples taken at or after {@code notBefore} (epoch seconds), e.g. once the whole fleet is up. */
    void lags(double interval, double warmupSeconds, double notBefore, List<Double> out) {
        for (List<Instant> series : samples.values()) {
            List<Instant> sorted = new ArrayList<>(series);
            sorted.sort(null);
            if (sorted.isEmpty()) {
                continue;
            }
            double start = Math.max(seconds(sorted.getFirst()) + warmupSeconds, notBefore);
            List<Double> phases = new ArrayList<>();
            int k = 0;
            for (Instant t : sorted) {
                double s = seconds(t);
                if (s >= start) {
                    phases.add(s - k * interval);
                    k++;
                }
            }
            double earliest = phases.stream().mapToDouble(Double::doubleValue).min().orElse(0);
            phases.forEach(p -> out.add(p - earliest));
        }
    }

    private static double seconds(Instant t) {
        return t.getEpochSecond() + t.getNano() / 1e9;
    }
}
