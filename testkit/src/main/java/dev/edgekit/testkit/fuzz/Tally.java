package dev.edgekit.testkit.fuzz;

import dev.edgekit.testkit.fuzz.HostileInput.Kind;
import dev.edgekit.testkit.fuzz.HostileInput.Outcome;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/** What a fuzz run sent: by kind, and per device by the outcome each input must be counted under. Thread-safe. */
public final class Tally {
    private final Map<Kind, Long> byKind = new EnumMap<>(Kind.class);
    private final Map<String, Map<Outcome, Long>> byDevice = new TreeMap<>();
    private final Map<String, Long> poisonedStamps = new TreeMap<>();
    private long sent;
    private long failed;

    /** Counts {@code input} as taken by the broker. */
    public synchronized void sent(HostileInput input) {
        sent++;
        byKind.merge(input.kind(), 1L, Long::sum);
        byDevice.computeIfAbsent(input.target(), d -> new EnumMap<>(Outcome.class)).merge(input.expected(), 1L,
                Long::sum);
        if (input.poisonedStamp()) {
            poisonedStamps.merge(input.target(), 1L, Long::sum);
        }
    }

    private final Map<String, Long> refusals = new TreeMap<>();

    synchronized void refusedByBroker(HostileInput input, String reason) {
        failed++;
        if (refusals.size() < 32 || refusals.containsKey(reason)) {
            refusals.merge(input.kind() + ": " + reason, 1L, Long::sum);
        }
    }

    /** Why the broker or the client library did not take inputs, by kind and reason. */
    public synchronized Map<String, Long> refusals() {
        return Map.copyOf(refusals);
    }

    /** Inputs the broker acknowledged. */
    public synchronized long sent() {
        return sent;
    }

    /** Inputs the broker did not take (not counted anywhere else). */
    public synchronized long failed() {
        return failed;
    }

    public synchronized long sent(Kind kind) {
        return byKind.getOrDefault(kind, 0L);
    }

    /** Inputs aimed at {@code device} that must show up under {@code outcome}. */
    public synchronized long sent(String device, Outcome outcome) {
        return byDevice.getOrDefault(device, Map.of()).getOrDefault(outcome, 0L);
    }

    /** Inputs over all devices that must show up under {@code outcome}. */
    public synchronized long sent(Outcome outcome) {
        return byDevice.values().stream().mapToLong(m -> m.getOrDefault(outcome, 0L)).sum();
    }

    /** Inputs aimed at {@code device} with a stamp it must refuse. */
    public synchronized long poisonedStamps(String device) {
        return poisonedStamps.getOrDefault(device, 0L);
    }

    public synchronized Map<Kind, Long> byKind() {
        return Map.copyOf(byKind);
    }

    @Override
    public synchronized String toString() {
        return sent + " sent (" + failed + " refused by the broker" + (refusals.isEmpty() ? "" : " " + refusals)
                + ") " + byKind;
    }
}
