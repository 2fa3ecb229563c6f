package dev.edgekit.time.ntp;

import java.nio.ByteBuffer;

/** Client requests as NTP clients send them, for tests. */
final class NtpRequests {
    private NtpRequests() {}

    /** A {@code length}-byte request: leap 0, {@code version}, {@code mode}, poll 6, transmit = {@code transmit}. */
    static ByteBuffer request(int length, int version, int mode, long transmit) {
        ByteBuffer b = ByteBuffer.allocate(length);
        if (length > 0) b.put(0, (byte) ((version << 3) | mode));
        if (length > 2) b.put(2, (byte) 6);
        if (length >= NtpWire.HEADER_BYTES) b.putLong(NtpWire.TRANSMIT, transmit);
        return b;
    }

    static ByteBuffer client(long transmit) {
        return request(NtpWire.HEADER_BYTES, 4, NtpWire.MODE_CLIENT, transmit);
    }
}
