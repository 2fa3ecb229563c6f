package dev.edgekit.dashboard;

import dev.edgekit.protocol.message.Heartbeat;
import dev.edgekit.protocol.message.Telemetry;
import dev.edgekit.ubiquitous.registry.DeviceView;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the dashboard remembers per device: a {@link Series} per telemetry channel and two for the clock (offset and
 * error bound, from heartbeats). Fed with the registry's accepted views only (so duplicates, malformed and stale
 * input never reach a plot). Bounded: at most {@link Limits#maxDevices()} devices and
 * {@link Limits#maxChannels()} channels per device, what is refused beyond that counted; and all series together in
 * {@link Limits#maxBytes()}: once more channels than fit at full depth, every series keeps a shorter history (fewer raw
 * samples, fewer buckets) instead of the heap growing with the fleet. Samples are stamped with
 * the registry's local receipt time (the consumer's clock), the time a plot's x axis shows. Thread-safe.
 */
final class History {
    /** The clock's pseudo-channels, plotted like any channel (microseconds). */
    static final String OFFSET = "$clock.offset";
    static final String BOUND = "$clock.bound";

    /**
     * @param rawSamples     raw samples kept per channel (at 1 Hz, 600 = the last 10 min at full resolution)
     * @param buckets        min/max buckets kept per channel
     * @param bucketMillis   the width of one bucket (60 s × 1440 = 24 h)
     * @param maxBytes       all series together; ~1,500 series fit at full depth in the default 64 MiB (a
     *                       thousand devices' six each would take ~260 MB after a day)
     */
    record Limits(int maxDevices, int maxChannels, int rawSamples, int buckets, long bucketMillis, long maxBytes) {
        static final Limits DEFAULT = new Limits(10_000, 32, 600, 1440, 60_000, 64L << 20);
        /** The least depth a series keeps however many share the budget. */
        static final int MIN_DEPTH = 16;

        /** Raw samples and buckets each of {@code series} series keeps within {@link #maxBytes}. */
        Depth depthFor(int series) {
            double share = maxBytes / (double) Math.max(1, series);
            double scale = Math.min(1, share / Series.bytesAt(rawSamples, buckets));
            return new Depth(Math.max(MIN_DEPTH, (int) (rawSamples * scale)),
                    Math.max(MIN_DEPTH, (int) (buckets * scale)));
        }
    }

    /** How deep every series is now. */
    record Depth(int rawSamples, int buckets) {
    }

    private record Key(String site, String id) {
    }

    private static final class DeviceHistory {
        final Map<String, Series> channels = new ConcurrentHashMap<>();
        final Map<String, String> units = new ConcurrentHashMap<>();
        final Map<String, Long> lastSeq = new ConcurrentHashMap<>();
        volatile Heartbeat lastHeartbeat;
    }

    private final Limits limits;
    private final InstantSource clock;
    private final Map<Key, DeviceHistory> devices = new ConcurrentHashMap<>();
    private final AtomicLong refusedDevices = new AtomicLong();
    private final AtomicLong refusedChannels = new AtomicLong();
    private final AtomicInteger seriesCount = new AtomicInteger();
    private volatile Depth depth;

    History(Limits limits, InstantSource clock) {
        this.limits = limits;
        this.clock = clock;
        this.depth = limits.depthFor(0);
    }

    /** How deep each series is now (shallower as more share the budget). */
    Depth depth() {
        return depth;
    }

    Limits limits() {
        return limits;
    }

    /** Takes one accepted view: appends new readings and a new heartbeat's clock state. */
    void observe(DeviceView view) {
        Key key = new Key(view.site(), view.id());
        DeviceHistory h = devices.get(key);
        if (h == null) {
            if (devices.size() >= limits.maxDevices()) {
                refusedDevices.incrementAndGet();
                return;
            }
            h = devices.computeIfAbsent(key, k -> new DeviceHistory());
        }
        long now = view.lastSeenAt() != null ? view.lastSeenAt().toEpochMilli() : clock.millis();
        for (Telemetry t : view.latest().values()) {
            Long previous = h.lastSeq.get(t.channel());
            if (previous != null && previous >= t.seq()) {
                continue;
            }
            Series s = series(h, t.channel());
            if (s == null) {
                continue;
            }
            h.lastSeq.put(t.channel(), t.seq());
            h.units.put(t.channel(), t.unit());
            add(s, now, t.value());
        }
        Heartbeat hb = view.lastHeartbeat();
        if (hb != null && hb != h.lastHeartbeat) {
            h.lastHeartbeat = hb;
            long at = view.lastHeartbeatAt() != null ? view.lastHeartbeatAt().toEpochMilli() : now;
            if (hb.clock().stratum() > 0) {
                Series offset = series(h, OFFSET);
                if (offset != null) {
                    add(offset, at, hb.clock().offsetMicros());
                }
                if (hb.clock().errorBoundMicros() != null) {
                    Series bound = series(h, BOUND);
                    if (bound != null) {
                        add(bound, at, hb.clock().errorBoundMicros());
                    }
                }
            }
        }
    }

    private Series series(DeviceHistory h, String channel) {
        Series s = h.channels.get(channel);
        if (s == null) {
            if (h.channels.size() >= limits.maxChannels() + 2) { // + the clock's two
                refusedChannels.incrementAndGet();
                return null;
            }
            s = h.channels.computeIfAbsent(channel, c -> {
                depth = limits.depthFor(seriesCount.incrementAndGet());
                return new Series(limits.rawSamples(), limits.buckets(), limits.bucketMillis());
            });
        }
        return s;
    }

    private void add(Series s, long at, double value) {
        Depth d = depth;
        s.add(at, value, d.rawSamples(), d.buckets());
    }

    /** The channels recorded for a device and their units ({@code µs} for the clock's), sorted by name. */
    Map<String, String> channels(String site, String id) {
        DeviceHistory h = devices.get(new Key(site, id));
        if (h == null) {
            return Map.of();
        }
        var out = new java.util.TreeMap<String, String>();
        h.channels.keySet().forEach(c -> out.put(c, c.startsWith("$clock.") ? "µs" : h.units.getOrDefault(c, "")));
        return out;
    }

    Optional<Downsample.Points> window(String site, String id, String channel, long fromMillis, long toMillis,
            int maxPoints) {
        DeviceHistory h = devices.get(new Key(site, id));
        Series s = h == null ? null : h.channels.get(channel);
        return s == null ? Optional.empty() : Optional.of(s.window(fromMillis, toMillis, maxPoints));
    }

    /** Forgets devices the registry no longer knows (retained state cleared). */
    void retain(List<DeviceView> known) {
        var keep = new java.util.HashSet<Key>();
        known.forEach(d -> keep.add(new Key(d.site(), d.id())));
        devices.keySet().retainAll(keep);
        // a series forgotten frees its share; the others grow back into it as samples come
        int series = devices.values().stream().mapToInt(h -> h.channels.size()).sum();
        seriesCount.set(series);
        depth = limits.depthFor(series);
    }

    long refusedDevices() {
        return refusedDevices.get();
    }

    long refusedChannels() {
        return refusedChannels.get();
    }
}
