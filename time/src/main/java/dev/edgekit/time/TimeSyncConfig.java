package dev.edgekit.time;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Client configuration. Build with {@link #builder(String, List)}; every field has a default.
 *
 * @param selfId              our device id (loop detection)
 * @param mode                ntp (default), cristian or bounded
 * @param servers             server ids to poll, in preference order
 * @param stepThreshold       step instead of slew beyond this offset (128 ms)
 * @param maxSlewPpm          maximum slew rate and frequency correction (500 ppm)
 * @param minPoll             interval between bursts at start and after a disturbance (250 ms)
 * @param maxPoll             longest interval between bursts (64 s)
 * @param burstSize           back-to-back exchanges per poll; all but the first go into the clock filter (8)
 * @param settleBursts        settled bursts in a row before the interval doubles (4)
 * @param replyTimeout        an exchange without reply after this is lost (2 s)
 * @param filterSize          polls the clock filter's line is fitted through, at most (32)
 * @param initialTolerancePpm frequency uncertainty before any estimate (500 ppm: an unmeasured oscillator may be anywhere)
 * @param clockWanderPpm      added to the statistical uncertainty of an estimate (1 ppm, chrony's maxclockerror)
 * @param maxDelay            replies with a longer round trip are rejected (1.5 s, ntpd's maxdist)
 * @param spikeConfirmations  consecutive samples beyond the step threshold that confirm a jump (3)
 * @param plausibleSince      server timestamps before this are absurd (2020-01-01)
 * @param holdoverAfter       no correction for this long = holdover (3 × maxPoll)
 */
public record TimeSyncConfig(String selfId, SyncMode mode, List<String> servers, Duration stepThreshold,
                             double maxSlewPpm, Duration minPoll, Duration maxPoll, int burstSize, int settleBursts,
                             Duration replyTimeout, int filterSize, double initialTolerancePpm,
                             double clockWanderPpm, Duration maxDelay, int spikeConfirmations, Instant plausibleSince,
                             Duration holdoverAfter) {
    public TimeSyncConfig {
        Objects.requireNonNull(selfId);
        Objects.requireNonNull(mode);
        servers = List.copyOf(servers);
        if (servers.isEmpty() && !(mode instanceof SyncMode.Berkeley)) throw new IllegalArgumentException("no servers");
        if (servers.size() > 0xFFFF) throw new IllegalArgumentException("too many servers");
        if (servers.stream().distinct().count() != servers.size()) throw new IllegalArgumentException("duplicate server");
    }

    public static Builder builder(String selfId, List<String> servers) {
        return new Builder(selfId, servers);
    }

    public static final class Builder {
        private final String selfId;
        private final List<String> servers;
        private SyncMode mode = new SyncMode.Ntp();
        private Duration stepThreshold = Duration.ofMillis(128);
        private double maxSlewPpm = 500;
        private Duration minPoll = Duration.ofMillis(250);
        private Duration maxPoll = Duration.ofSeconds(64);
        private int burstSize = 8;
        private int settleBursts = 4;
        private Duration replyTimeout = Duration.ofSeconds(2);
        private int filterSize = 32;
        private double initialTolerancePpm = 500;
        private double clockWanderPpm = 1;
        private Duration maxDelay = Duration.ofMillis(1500);
        private int spikeConfirmations = 3;
        private Instant plausibleSince = Instant.parse("2020-01-01T00:00:00Z");
        private Duration holdoverAfter;

        private Builder(String selfId, List<String> servers) {
            this.selfId = selfId;
            this.servers = servers;
        }

        public Builder mode(SyncMode v) { mode = v; return this; }
        public Builder stepThreshold(Duration v) { stepThreshold = v; return this; }
        public Builder maxSlewPpm(double v) { maxSlewPpm = v; return this; }
        public Builder minPoll(Duration v) { minPoll = v; return this; }
        public Builder maxPoll(Duration v) { maxPoll = v; return this; }
        public Builder burstSize(int v) { burstSize = v; return this; }
        public Builder settleBursts(int v) { settleBursts = v; return this; }
        public Builder replyTimeout(Duration v) { replyTimeout = v; return this; }
        public Builder filterSize(int v) { filterSize = v; return this; }
        public Builder initialTolerancePpm(double v) { initialTolerancePpm = v; return this; }
        public Builder clockWanderPpm(double v) { clockWanderPpm = v; return this; }
        public Builder maxDelay(Duration v) { maxDelay = v; return this; }
        public Builder spikeConfirmations(int v) { spikeConfirmations = v; return this; }
        public Builder plausibleSince(Instant v) { plausibleSince = v; return this; }
        public Builder holdoverAfter(Duration v) { holdoverAfter = v; return this; }

        public TimeSyncConfig build() {
            return new TimeSyncConfig(selfId, mode, servers, stepThreshold, maxSlewPpm, minPoll, maxPoll, burstSize,
                    settleBursts, replyTimeout, filterSize, initialTolerancePpm, clockWanderPpm,
                    maxDelay, spikeConfirmations, plausibleSince,
                    holdoverAfter != null ? holdoverAfter : maxPoll.multipliedBy(3));
        }
    }
}
