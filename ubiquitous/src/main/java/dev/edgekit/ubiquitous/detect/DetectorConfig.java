package dev.edgekit.ubiquitous.detect;

import java.time.Duration;
import java.util.Objects;

/**
 * How a consumer judges heartbeats. Immutable; start from {@link #phiAccrual()} or {@link #timeout(Duration)} and
 * change one setting at a time with the {@code with…} methods.
 *
 * @param kind                    phi accrual (adaptive) or a plain timeout
 * @param threshold               phi accrual: suspicion (phi) at which a device becomes suspect (Akka uses 8; phi 8
 *                                means a one-in-10⁸ chance that a heartbeat this late is merely late)
 * @param suspectAfter            timeout: silence after which a device becomes suspect
 * @param lostAfter               silence after which a suspect device is declared lost, for both kinds
 * @param firstHeartbeatEstimate  the expected interval before any has been measured
 * @param minStdDeviation         phi accrual: floor of the inter-arrival standard deviation, so a metronome-regular
 *                                device is not suspected at the first late heartbeat
 * @param acceptablePause         phi accrual: added to the mean (tolerates GC pauses)
 * @param window                  phi accrual: how many inter-arrival times are kept
 */
public record DetectorConfig(Kind kind, double threshold, Duration suspectAfter, Duration lostAfter,
        Duration firstHeartbeatEstimate, Duration minStdDeviation, Duration acceptablePause, int window) {

    public enum Kind { PHI_ACCRUAL, TIMEOUT }

    public DetectorConfig {
        Objects.requireNonNull(kind, "kind");
        if (!(threshold > 0)) {
            throw new IllegalArgumentException("threshold must be positive: " + threshold);
        }
        positive(suspectAfter, "suspectAfter");
        positive(lostAfter, "lostAfter");
        positive(firstHeartbeatEstimate, "firstHeartbeatEstimate");
        positive(minStdDeviation, "minStdDeviation");
        if (acceptablePause == null || acceptablePause.isNegative()) {
            throw new IllegalArgumentException("acceptablePause must be zero or positive");
        }
        if (window < 2) {
            throw new IllegalArgumentException("window must be at least 2: " + window);
        }
    }

    private static void positive(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive: " + d);
        }
    }

    /** Phi accrual with threshold 8, 1 s first estimate, 100 ms minimum deviation, lost after 10 s of silence. */
    public static DetectorConfig phiAccrual() {
        return new DetectorConfig(Kind.PHI_ACCRUAL, 8.0, Duration.ofSeconds(3), Duration.ofSeconds(10),
                Duration.ofSeconds(1), Duration.ofMillis(100), Duration.ZERO, 200);
    }

    /** A plain timeout: suspect after {@code suspectAfter} of silence, lost after 10 s (or 3 × that if longer). */
    public static DetectorConfig timeout(Duration suspectAfter) {
        Duration lost = suspectAfter.multipliedBy(3).compareTo(Duration.ofSeconds(10)) > 0
                ? suspectAfter.multipliedBy(3) : Duration.ofSeconds(10);
        return new DetectorConfig(Kind.TIMEOUT, 1.0, suspectAfter, lost, Duration.ofSeconds(1),
                Duration.ofMillis(100), Duration.ZERO, 200);
    }

    public DetectorConfig withThreshold(double newThreshold) {
        return new DetectorConfig(kind, newThreshold, suspectAfter, lostAfter, firstHeartbeatEstimate,
                minStdDeviation, acceptablePause, window);
    }

    public DetectorConfig withLostAfter(Duration newLostAfter) {
        return new DetectorConfig(kind, threshold, suspectAfter, newLostAfter, firstHeartbeatEstimate,
                minStdDeviation, acceptablePause, window);
    }

    public DetectorConfig withFirstHeartbeatEstimate(Duration estimate) {
        return new DetectorConfig(kind, threshold, suspectAfter, lostAfter, estimate, minStdDeviation,
                acceptablePause, window);
    }

    public DetectorConfig withMinStdDeviation(Duration newMin) {
        return new DetectorConfig(kind, threshold, suspectAfter, lostAfter, firstHeartbeatEstimate, newMin,
                acceptablePause, window);
    }

    public DetectorConfig withAcceptablePause(Duration pause) {
        return new DetectorConfig(kind, threshold, suspectAfter, lostAfter, firstHeartbeatEstimate,
                minStdDeviation, pause, window);
    }

    /** A new detector for one device. */
    public FailureDetector newDetector() {
        return switch (kind) {
            case PHI_ACCRUAL -> new PhiAccrualDetector(this);
            case TIMEOUT -> new TimeoutDetector(this);
        };
    }

    /** Parses {@code phi}, {@code phi:10} (threshold), {@code timeout:3s}. */
    public static DetectorConfig parse(String text) {
        String[] parts = text.trim().split(":", 2);
        return switch (parts[0]) {
            case "phi" -> parts.length == 1 ? phiAccrual() : phiAccrual().withThreshold(Double.parseDouble(parts[1]));
            case "timeout" -> timeout(parts.length == 1 ? Duration.ofSeconds(3) : parseDuration(parts[1]));
            default -> throw new IllegalArgumentException("detector '" + text + "': use phi, phi:<threshold> or"
                    + " timeout:<duration>");
        };
    }

    static Duration parseDuration(String s) {
        String t = s.trim();
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        if (t.endsWith("s")) {
            return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
        }
        return Duration.parse(t);
    }
}
