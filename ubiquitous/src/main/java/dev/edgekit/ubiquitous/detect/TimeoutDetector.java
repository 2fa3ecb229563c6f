package dev.edgekit.ubiquitous.detect;

import java.time.Duration;
import java.time.Instant;

/** The plain detector: suspect after a fixed silence. Suspicion is elapsed / suspectAfter (1.0 = suspect). */
final class TimeoutDetector implements FailureDetector {
    private final DetectorConfig config;
    private Instant last;
    private Instant previousHeartbeat;
    private long heartbeats;
    private long intervalSumNanos;
    private long intervals;

    TimeoutDetector(DetectorConfig config) {
        this.config = config;
    }

    @Override
    public void heartbeat(Instant now) {
        if (previousHeartbeat != null && now.isAfter(previousHeartbeat)) {
            intervalSumNanos += Duration.between(previousHeartbeat, now).toNanos();
            intervals++;
        }
        previousHeartbeat = now;
        last = last == null || now.isAfter(last) ? now : last;
        heartbeats++;
    }

    @Override
    public void restart(Instant now) {
        last = now;
        previousHeartbeat = null;
    }

    @Override
    public double suspicion(Instant now) {
        if (last == null) {
            return 0;
        }
        return Math.max(0, Duration.between(last, now).toNanos()) / (double) config.suspectAfter().toNanos();
    }

    @Override
    public boolean suspects(Instant now) {
        return suspicion(now) >= 1.0;
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
        return intervals == 0 ? null : Duration.ofNanos(intervalSumNanos / intervals);
    }

    @Override
    public long heartbeats() {
        return heartbeats;
    }
}
