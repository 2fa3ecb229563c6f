package dev.edgekit.time.ntp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NtpWireTest {
    @Test
    void theUnixEpochIs2208988800SecondsAfterTheNtpEpoch() {
        assertThat(NtpWire.timestamp(0)).isEqualTo(2_208_988_800L << 32);
        assertThat(NtpWire.timestamp(500_000_000L)).isEqualTo((2_208_988_800L << 32) | 0x8000_0000L);
    }

    @Test
    void timestampsRoundTripWithinOneNanosecond() {
        for (long t : new long[] {1_796_300_000_123_456_789L, 1L, 999_999_999L, 2_000_000_000_000_000_000L}) {
            assertThat(Math.abs(NtpWire.epochNanos(NtpWire.timestamp(t)) - t)).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void shortFormatRoundsUpAndSaturates() {
        assertThat(NtpWire.shortFormat(1_000_000_000L)).isEqualTo(0x0001_0000);
        assertThat(NtpWire.shortFormat(1)).isEqualTo(1);
        assertThat(NtpWire.shortFormat(0)).isZero();
        assertThat(NtpWire.shortFormat(Long.MAX_VALUE)).isEqualTo(0xFFFF_FFFF);
    }

    @Test
    void precisionIsTheLog2OfSecondsRoundedUp() {
        assertThat(NtpWire.precisionExponent(1_000)).isEqualTo(-19); // 1 µs ≤ 2^-19 s (1.9 µs)
        assertThat(NtpWire.precisionExponent(1_000_000_000L)).isZero();
        assertThat(NtpWire.precisionExponent(1)).isEqualTo(-29);
    }
}
