package dev.edgekit.ubiquitous.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class PhiAccrualDetectorTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final DetectorConfig config = DetectorConfig.phiAccrual();

    private static Instant at(long millis) {
        return T0.plusMillis(millis);
    }

    @Test
    void phiIsZeroBeforeAnyHeartbeatAndGrowsWithSilence() {
        FailureDetector d = config.newDetector();
        assertThat(d.suspicion(at(5000))).isZero();
        for (int i = 0; i <= 10; i++) {
            d.heartbeat(at(i * 1000L));
        }
        double early = d.suspicion(at(10_500));
        double onTime = d.suspicion(at(11_000));
        double late = d.suspicion(at(11_400));
        double later = d.suspicion(at(12_000));
        assertThat(early).isLessThan(onTime);
        assertThat(onTime).isLessThan(late);
        assertThat(late).isLessThan(later);
        assertThat(onTime).isBetween(0.2, 0.4); // half the mass is later than the mean: -log10(0.5) = 0.3
    }

    @Test
    void regularOneSecondHeartbeatsAreSuspectedAboutHalfASecondAfterTheyStop() {
        FailureDetector d = config.newDetector();
        for (int i = 0; i <= 20; i++) {
            d.heartbeat(at(i * 1000L));
        }
        // σ is floored at 100 ms: phi 8 ≈ mean + 5.2 σ
        assertThat(d.suspects(at(21_400))).isFalse();
        assertThat(d.suspects(at(21_600))).isTrue();
    }

    @Test
    void seededJitterOf200MsNeverRaisesPhiToTheThresholdWhileHeartbeatsFlow() {
        RandomGenerator random = RandomGenerator.of("L64X128MixRandom");
        FailureDetector d = config.newDetector();
        double worst = 0;
        long last = 0;
        for (int i = 0; i < 10_000; i++) {
            long sent = i * 1000L + random.nextLong(200); // each heartbeat delayed 0..200 ms
            // the consumer looks every 10 ms between arrivals
            for (long t = last; t < sent; t += 10) {
                worst = Math.max(worst, d.suspicion(at(t)));
            }
            d.heartbeat(at(sent));
            last = sent;
        }
        assertThat(worst).isLessThan(config.threshold());
    }

    @Test
    void theDetectorAdaptsToASlowerDevice() {
        FailureDetector d = config.newDetector();
        for (int i = 0; i <= 50; i++) {
            d.heartbeat(at(i * 5000L));
        }
        assertThat(d.meanInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(d.suspects(at(50 * 5000L + 4900))).isFalse();
        assertThat(d.suspects(at(50 * 5000L + 6000))).isTrue();
    }

    @Test
    void anOutageLongerThanLostAfterIsNotLearnedAsAnInterval() {
        FailureDetector d = config.newDetector();
        for (int i = 0; i <= 10; i++) {
            d.heartbeat(at(i * 1000L));
        }
        d.heartbeat(at(60_000));
        assertThat(d.meanInterval()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aRestartResetsTheSilenceButNotTheLearnedIntervals() {
        FailureDetector d = config.newDetector();
        for (int i = 0; i <= 10; i++) {
            d.heartbeat(at(i * 1000L));
        }
        d.restart(at(30_000));
        assertThat(d.silence(at(30_500))).isEqualTo(Duration.ofMillis(500));
        assertThat(d.suspects(at(30_500))).isFalse();
        d.heartbeat(at(31_300)); // birth → first heartbeat: not an interval
        assertThat(d.meanInterval()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void phiMatchesTheNormalTailAtFamiliarPoints() {
        // one σ late: P(later) ≈ 0.159 → phi ≈ 0.80; three σ: P ≈ 0.00135 → phi ≈ 2.87
        assertThat(PhiAccrualDetector.phi(1100, 1000, 100)).isCloseTo(0.80, org.assertj.core.data.Offset.offset(0.02));
        assertThat(PhiAccrualDetector.phi(1300, 1000, 100)).isCloseTo(2.87, org.assertj.core.data.Offset.offset(0.05));
    }

    @Test
    void theTimeoutDetectorSuspectsAfterItsFixedSilence() {
        FailureDetector d = DetectorConfig.timeout(Duration.ofSeconds(3)).newDetector();
        d.heartbeat(at(0));
        assertThat(d.suspicion(at(1500))).isEqualTo(0.5);
        assertThat(d.suspects(at(2999))).isFalse();
        assertThat(d.suspects(at(3000))).isTrue();
    }

    @Test
    void detectorSpecificationsParse() {
        assertThat(DetectorConfig.parse("phi").threshold()).isEqualTo(8.0);
        assertThat(DetectorConfig.parse("phi:12").threshold()).isEqualTo(12.0);
        assertThat(DetectorConfig.parse("timeout:2500ms").suspectAfter()).isEqualTo(Duration.ofMillis(2500));
    }
}
