package dev.edgekit.time.ntp;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A token bucket per source address, in a table bounded to {@code maxSources} (least recently seen evicted first),
 * as ntpd's and chrony's {@code ratelimit}. Not thread-safe: the server's single receive thread owns it. Time comes in
 * as an argument (nanoseconds on any monotonic-ish timeline; a step backwards refills nothing).
 *
 * <p>An evicted source comes back with a full bucket: a flood of spoofed addresses can buy a real source a fresh
 * burst, never more than {@code burst} extra replies per eviction, each no larger than its request.
 */
final class RateLimiter {
    /** What to do with one request. */
    enum Decision { ANSWER, KISS, DROP }

    private static final class Bucket {
        double tokens;
        long lastNanos;
        long lastKissNanos = Long.MIN_VALUE;
    }

    private final double tokensPerNano;
    private final double burst;
    private final long kissIntervalNanos;
    private final Map<InetAddress, Bucket> buckets;

    RateLimiter(double perSecond, int burst, long kissIntervalNanos, int maxSources) {
        if (!(perSecond > 0) || burst < 1 || maxSources < 1 || kissIntervalNanos < 0) {
            throw new IllegalArgumentException("rate limit: rate > 0, burst >= 1, sources >= 1");
        }
        this.tokensPerNano = perSecond / 1e9;
        this.burst = burst;
        this.kissIntervalNanos = kissIntervalNanos;
        this.buckets = new LinkedHashMap<>(Math.min(maxSources, 1024) * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<InetAddress, Bucket> eldest) {
                return size() > maxSources;
            }
        };
    }

    Decision admit(InetAddress source, long nowNanos) {
        Bucket b = buckets.get(source);
        if (b == null) {
            b = new Bucket();
            b.tokens = burst;
            b.lastNanos = nowNanos;
            buckets.put(source, b);
        } else {
            long elapsed = Math.max(0, nowNanos - b.lastNanos);
            b.tokens = Math.min(burst, b.tokens + elapsed * tokensPerNano);
            b.lastNanos = Math.max(b.lastNanos, nowNanos);
        }
        if (b.tokens >= 1) {
            b.tokens -= 1;
            return Decision.ANSWER;
        }
        // RFC 5905 §7.4: a kiss-o'-death RATE tells a client to back off; one per interval, silence in between
        if (b.lastKissNanos == Long.MIN_VALUE || nowNanos - b.lastKissNanos >= kissIntervalNanos) {
            b.lastKissNanos = nowNanos;
            return Decision.KISS;
        }
        return Decision.DROP;
    }

    int sources() {
        return buckets.size();
    }
}
