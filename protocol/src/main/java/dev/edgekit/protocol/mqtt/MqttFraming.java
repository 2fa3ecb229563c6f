package dev.edgekit.protocol.mqtt;

/** Finds MQTT control packet boundaries in a byte stream: fixed header byte, Remaining Length (1–4 bytes), body. */
final class MqttFraming {
    /** The header is not complete yet. */
    static final long NEED_MORE = -1;
    /** Not an MQTT Remaining Length (a fifth length byte): the stream is not plain MQTT framing. */
    static final long MALFORMED = -2;

    private MqttFraming() {
    }

    /** Total length (header + body) of the packet starting at {@code b[at]}, given bytes up to {@code end}. */
    static long packetLength(byte[] b, int at, int end) {
        long remaining = 0;
        int shift = 0;
        for (int i = at + 1; i < end; i++) {
            int digit = b[i] & 0xFF;
            remaining |= (long) (digit & 0x7F) << shift;
            if ((digit & 0x80) == 0) return (i - at + 1) + remaining;
            shift += 7;
            if (shift > 21) return MALFORMED;
        }
        return NEED_MORE;
    }

    static boolean isPublish(byte firstByte) {
        return (firstByte & 0xF0) == 0x30;
    }
}
