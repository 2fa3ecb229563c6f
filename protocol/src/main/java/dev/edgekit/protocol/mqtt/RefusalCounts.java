package dev.edgekit.protocol.mqtt;

import dev.edgekit.protocol.topic.Topics;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts of refused inputs by source, bounded: a flood of made-up sources cannot grow it past {@code maxSources};
 * sources past the bound are counted together under {@link #OTHER}.
 */
final class RefusalCounts {
    static final String OTHER = "(other)";

    private final int maxSources;
    private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();

    RefusalCounts(int maxSources) {
        this.maxSources = maxSources;
    }

    void count(String source) {
        String key = counts.containsKey(source) || counts.size() < maxSources ? source : OTHER;
        counts.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    Map<String, Long> snapshot() {
        Map<String, Long> copy = new TreeMap<>();
        counts.forEach((source, n) -> copy.put(source, n.sum()));
        return copy;
    }

    /**
     * Who a message on {@code topic} is from, as far as the topic tells: the device level of
     * {@code edgekit/v1/{site}/{device}/…} (the site tree, e.g. {@code $time}, for site-wide topics), else the topic's
     * first level. Never longer than a device id, so a hostile topic cannot make a large key.
     */
    static String sourceOf(String topic) {
        String[] levels = topic.split("/", 5);
        String source = levels.length >= 4 && Topics.ROOT.equals(levels[0] + "/" + levels[1]) ? levels[3] : levels[0];
        return source.length() > 64 ? source.substring(0, 64) : source;
    }
}
