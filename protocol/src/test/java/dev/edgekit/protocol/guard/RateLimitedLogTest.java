package dev.edgekit.protocol.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RateLimitedLogTest {
    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
    private final RateLimitedLog log = new RateLimitedLog(LoggerFactory.getLogger(RateLimitedLogTest.class),
            Duration.ofMinutes(1));

    @Test
    void oneLinePerCausePerIntervalAndTheNextLineCountsWhatWasHeldBack() {
        assertThat(log.admit("no-response-topic", T0)).isZero();
        for (int i = 0; i < 1000; i++) {
            assertThat(log.admit("no-response-topic", T0.plusMillis(i))).isEqualTo(-1);
        }
        assertThat(log.admit("other-cause", T0)).isZero();

        assertThat(log.admit("no-response-topic", T0.plusSeconds(60))).isEqualTo(1000);
    }

    @Test
    void causesAreBoundedSoAFloodOfDistinctCausesSharesOneLine() {
        for (int i = 0; i < RateLimitedLog.MAX_CAUSES; i++) {
            log.admit("cause-" + i, T0);
        }

        assertThat(log.admit("one-more", T0)).isZero();
        assertThat(log.admit("and-another", T0)).isEqualTo(-1);
    }
}
