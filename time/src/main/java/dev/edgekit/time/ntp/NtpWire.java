package dev.edgekit.time.ntp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** NTP's on-the-wire numbers (RFC 5905 §6): 64-bit timestamps, 32-bit short format, log2 precision, ASCII ids. */
final class NtpWire {
    /** Seconds from the NTP prime epoch (1900-01-01) to the Unix epoch. */
    static final long UNIX_EPOCH_IN_NTP_SECONDS = 2_208_988_800L;
    static final int HEADER_BYTES = 48;
    static final int MODE_CLIENT = 3;
    static final int MODE_SERVER = 4;
    static final int LEAP_NONE = 0;
    static final int LEAP_ALARM = 3;
    /** Wire offsets of the fields a server reads or writes. */
    static final int ORIGIN = 24;
    static final int RECEIVE = 32;
    static final int TRANSMIT = 40;

    private NtpWire() {}

    /**
     * Unix epoch nanoseconds as an NTP timestamp: seconds since 1900 modulo 2^32 (era rollover in 2036 is part of
     * the format, §6) and a 32-bit binary fraction.
     */
    static long timestamp(long epochNanos) {
        long seconds = Math.floorDiv(epochNanos, 1_000_000_000L);
        long nanos = Math.floorMod(epochNanos, 1_000_000_000L);
        long fraction = (nanos << 32) / 1_000_000_000L;
        return ((seconds + UNIX_EPOCH_IN_NTP_SECONDS) << 32) | fraction;
    }

    /** The inverse of {@link #timestamp} for era 0 (1900–2036) timestamps; for tests and clients. */
    static long epochNanos(long ntpTimestamp) {
        long seconds = (ntpTimestamp >>> 32) - UNIX_EPOCH_IN_NTP_SECONDS;
        long fraction = ntpTimestamp & 0xFFFF_FFFFL;
        return seconds * 1_000_000_000L + ((fraction * 1_000_000_000L + (1L << 31)) >>> 32);
    }

    /** A non-negative duration in NTP short format (16.16 seconds), saturating at its maximum (~18 h). */
    static int shortFormat(long nanos) {
        if (nanos <= 0) return 0;
        double units = nanos * 65_536e-9;
        return units >= 0xFFFF_FFFFL ? 0xFFFF_FFFF : (int) (long) Math.ceil(units);
    }

    /** The precision field: log2 of the clock's read precision in seconds, rounded up, within [-32, 0]. */
    static int precisionExponent(long precisionNanos) {
        if (precisionNanos <= 0) return -30;
        int exponent = (int) Math.ceil(Math.log(precisionNanos * 1e-9) / Math.log(2));
        return Math.max(-32, Math.min(0, exponent));
    }

    /** A four-character ASCII identifier (reference id of a stratum-1 source, or a kiss code), padded with NULs. */
    static int asciiId(String code) {
        byte[] b = code.getBytes(StandardCharsets.US_ASCII);
        if (b.length == 0 || b.length > 4) throw new IllegalArgumentException("a reference id is 1-4 ASCII characters: " + code);
        int id = 0;
        for (int i = 0; i < 4; i++) id = (id << 8) | (i < b.length ? b[i] & 0xFF : 0);
        return id;
    }

    static int leap(ByteBuffer packet) {
        return (packet.get(0) >> 6) & 3;
    }

    static int version(ByteBuffer packet) {
        return (packet.get(0) >> 3) & 7;
    }

    static int mode(ByteBuffer packet) {
        return packet.get(0) & 7;
    }
}
