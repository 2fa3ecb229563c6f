package dev.edgekit.time.chrony;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * chrony's {@code struct sock_sample} (refclock_sock.c), in the host's native byte order, as chronyd on the same
 * machine reads it. On 64-bit Linux (LP64: {@code time_t} and {@code suseconds_t} are 8 bytes) it is 40 bytes:
 *
 * <pre>
 *  0  struct timeval tv   tv_sec (8), tv_usec (8)   system time of the measurement
 * 16  double offset                                 true time − system time, seconds
 * 24  int pulse                                     0: a full sample, not a PPS edge
 * 28  int leap                                      0 normal, 1 insert, 2 delete a leap second
 * 32  int _pad
 * 36  int magic                                     0x534f434b ("SOCK")
 * </pre>
 *
 * chronyd drops a datagram whose length is not {@code sizeof(struct sock_sample)} or whose magic is wrong. A 32-bit
 * userland (armhf, ILP32 with 32-bit {@code time_t}) has a 32-byte layout; {@link #BYTES_ILP32} covers it.
 */
public final class SockSample {
    public static final int MAGIC = 0x534f434b;
    /** {@code sizeof(struct sock_sample)} on LP64 (x86-64, arm64). */
    public static final int BYTES_LP64 = 40;
    /** {@code sizeof(struct sock_sample)} on ILP32 with a 32-bit {@code time_t} (armhf). */
    public static final int BYTES_ILP32 = 32;

    private SockSample() {}

    /** The sample for this JVM's data model (LP64 unless {@code sun.arch.data.model} says 32). */
    public static byte[] encode(long systemEpochNanos, double offsetSeconds, int leap) {
        return encode(systemEpochNanos, offsetSeconds, leap, is64Bit(), ByteOrder.nativeOrder());
    }

    static byte[] encode(long systemEpochNanos, double offsetSeconds, int leap, boolean lp64, ByteOrder order) {
        if (!Double.isFinite(offsetSeconds)) throw new IllegalArgumentException("offset must be finite");
        if (leap < 0 || leap > 2) throw new IllegalArgumentException("leap must be 0, 1 or 2");
        long seconds = Math.floorDiv(systemEpochNanos, 1_000_000_000L);
        long micros = Math.floorMod(systemEpochNanos, 1_000_000_000L) / 1_000;
        ByteBuffer b = ByteBuffer.allocate(lp64 ? BYTES_LP64 : BYTES_ILP32).order(order);
        if (lp64) {
            b.putLong(seconds).putLong(micros);
        } else {
            b.putInt((int) seconds).putInt((int) micros);
        }
        b.putDouble(offsetSeconds).putInt(0).putInt(leap).putInt(0).putInt(MAGIC);
        return b.array();
    }

    static boolean is64Bit() {
        return !"32".equals(System.getProperty("sun.arch.data.model"));
    }
}
