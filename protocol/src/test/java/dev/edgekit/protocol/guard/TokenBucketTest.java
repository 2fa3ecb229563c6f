package dev.edgekit.protocol.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

    private static long admitted(TokenBucket bucket, int attempts, Instant at) {
        return IntStream.range(0, attempts).filter(i -> bucket.tryAcquire(at)).count();
    }

    @Test
    void aBurstIsAdmittedUpToItsSizeThenRefilledAtTheRate() {
        TokenBucket bucket = new TokenBucket(10, 5);

        assertThat(admitted(bucket, 100, T0)).isEqualTo(5);
        assertThat(admitted(bucket, 100, T0.plusMillis(500))).isEqualTo(5);
        assertThat(admitted(bucket, 100, T0.plusMillis(600))).isEqualTo(1);
    }

    @Test
    void aClockSteppingBackRefillsNothing() {
        TokenBucket bucket = new TokenBucket(10, 5);
        admitted(bucket, 5, T0);

        assertThat(admitted(bucket, 100, T0.minusSeconds(3600))).isZero();
        assertThat(admitted(bucket, 100, T0.plusMillis(100))).isEqualTo(1);
    }
}
