package dev.edgekit.agent.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FrequencyEstimatorTest {
    @Test
    void regressionRecoversTheSlopeOfNoisyOffsetsAndItsUncertaintyCoversTheError() {
        SplittableRandom random = new SplittableRandom(42);
        FrequencyEstimator estimator = new FrequencyEstimator(32);
        double slope = -123.4e-6;
        for (int i = 0; i < 32; i++) {
            long t = i * 10_000_000_000L; // every 10 s
            estimator.add(t, Math.round(slope * t) + random.nextLong(-20_000, 20_000), 20_000);
        }
        FrequencyEstimator.Fit fit = estimator.fit().orElseThrow();
        assertThat(fit.points()).isEqualTo(32);
        assertThat(fit.slopeRatio()).isCloseTo(slope, offset(3 * fit.slopeStdErrRatio()));
        assertThat(fit.slopeStdErrRatio()).isLessThan(0.05e-6);
    }

    @Test
    void uncertaintyShrinksAsTheSpanGrows() {
        FrequencyEstimator shortSpan = new FrequencyEstimator(8), longSpan = new FrequencyEstimator(8);
        for (int i = 0; i < 8; i++) {
            shortSpan.add(i * 250_000_000L, 0, 10_000);
            longSpan.add(i * 60_000_000_000L, 0, 10_000);
        }
        assertThat(longSpan.fit().orElseThrow().slopeStdErrRatio())
                .isLessThan(shortSpan.fit().orElseThrow().slopeStdErrRatio() / 100);
    }

    @Test
    void anOlderPointChosenAgainByTheFilterIsNotCountedTwice() {
        FrequencyEstimator estimator = new FrequencyEstimator(8);
        estimator.add(1_000, 0, 1);
        estimator.add(2_000, 0, 1);
        estimator.add(2_000, 5, 1);
        estimator.add(1_500, 5, 1);
        assertThat(estimator.count()).isEqualTo(2);
    }
}
