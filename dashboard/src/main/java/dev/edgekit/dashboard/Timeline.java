package dev.edgekit.dashboard;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fleet's recent happenings, newest last: device events and this consumer's state transitions, in one bounded
 * ring ({@code capacity} entries) with a per-device ring ({@code perDevice} entries), each entry numbered so that a
 * browser can ask for what came after the last it saw. Thread-safe.
 */
final class Timeline {
    /**
     * @param at         local receipt time, epoch ms
     * @param kind       {@code event} or {@code state}
     * @param name       the event's name, or {@code from→to} for a state transition
     * @param severity   info, warning, error (state: warning for suspect/lost/offline)
     * @param deviceTime the device's own stamp (ISO-8601), or null
     */
    record Entry(long seq, long at, String site, String id, String kind, String name, String severity,
            Map<String, String> attributes, String deviceTime) {
    }

    private final int capacity;
    private final int perDevice;
    private final Deque<Entry> all = new ArrayDeque<>();
    private final Map<String, Deque<Entry>> byDevice = new java.util.HashMap<>();
    private final AtomicLong seq = new AtomicLong();
    private final int maxDevices;

    Timeline(int capacity, int perDevice, int maxDevices) {
        this.capacity = capacity;
        this.perDevice = perDevice;
        this.maxDevices = maxDevices;
    }

    synchronized Entry add(long at, String site, String id, String kind, String name, String severity,
            Map<String, String> attributes, String deviceTime) {
        Entry e = new Entry(seq.incrementAndGet(), at, site, id, kind, name, severity, bounded(attributes),
                deviceTime);
        all.addLast(e);
        while (all.size() > capacity) {
            all.removeFirst();
        }
        String key = site + "/" + id;
        Deque<Entry> mine = byDevice.get(key);
        if (mine == null && byDevice.size() < maxDevices) {
            mine = new ArrayDeque<>();
            byDevice.put(key, mine);
        }
        if (mine != null) {
            mine.addLast(e);
            while (mine.size() > perDevice) {
                mine.removeFirst();
            }
        }
        return e;
    }

    /** At most 16 attributes, each clipped: an event's details are device-controlled. */
    private static Map<String, String> bounded(Map<String, String> attributes) {
        if (attributes == null || attributes.isEmpty()) {
            return Map.of();
        }
        var out = new java.util.TreeMap<String, String>();
        for (var e : attributes.entrySet()) {
            if (out.size() >= 16) {
                break;
            }
            out.put(clip(e.getKey(), 64), clip(e.getValue(), 256));
        }
        return out;
    }

    static String clip(String s, int max) {
        return s == null ? "" : s.length() <= max ? s : s.substring(0, max) + "…";
    }

    /** Entries after {@code afterSeq}, newest last, at most {@code limit}. */
    synchronized List<Entry> after(long afterSeq, int limit) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : all) {
            if (e.seq() > afterSeq) {
                out.add(e);
            }
        }
        return out.size() <= limit ? out : out.subList(out.size() - limit, out.size());
    }

    synchronized List<Entry> device(String site, String id) {
        Deque<Entry> mine = byDevice.get(site + "/" + id);
        return mine == null ? List.of() : List.copyOf(mine);
    }

    long lastSeq() {
        return seq.get();
    }
}
