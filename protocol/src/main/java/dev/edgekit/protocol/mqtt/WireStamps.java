package dev.edgekit.protocol.mqtt;

import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

/**
 * In-band timestamps taken at the socket. A payload carries a placeholder ({@link #SENT} or {@link #RECEIVED}, 19
 * ASCII characters, e.g. as a JSON string value); a session's socket overwrites it with its clock's reading, in
 * epoch nanoseconds as 19 zero-padded decimal digits: {@link #SENT} just before the PUBLISH packet is written to the
 * socket, {@link #RECEIVED} when the packet's first byte came off the socket. The length never changes, so the
 * packet stays valid; the broker forwards the bytes as they are.
 *
 * <p>Why: between {@code publish()} and the socket write Paho spends ~100 µs on a thread hand-off, and between the
 * socket read and {@code messageArrived} another 40–55 µs (ARCHITECTURE.md, Platform facts). Both wobble by more than
 * clock sync can afford; stamps taken at the socket leave them out of the measured path.
 *
 * <p>A session stamps when its broker URI is {@code tcp://} and no socket factory of one's own was given (see
 * {@link MqttSessionBuilder#wireStamps}); on the other side of the broker the peer's session must stamp too. A
 * placeholder that comes back unchanged means "not stamped": {@link #read} returns empty and the caller falls back to
 * its own stamps. Only placeholders inside PUBLISH packets of at most {@link #MAX_STAMPED_PACKET} bytes are stamped.
 */
public final class WireStamps {
    /** Overwritten with the sender's clock just before the packet goes to the socket. */
    public static final String SENT = "!edgekit-wire-sent!";
    /** Overwritten with the receiver's clock when the packet's first byte came off the socket. */
    public static final String RECEIVED = "!edgekit-wire-recv!";
    /** Larger PUBLISH packets pass through unstamped (they are never held back to be searched). */
    public static final int MAX_STAMPED_PACKET = 64 * 1024;

    static final int LENGTH = 19;
    private static final byte[] PREFIX = "!edgekit-wire-".getBytes(StandardCharsets.US_ASCII);
    static final byte[] SENT_SUFFIX = "sent!".getBytes(StandardCharsets.US_ASCII);
    static final byte[] RECEIVED_SUFFIX = "recv!".getBytes(StandardCharsets.US_ASCII);

    private WireStamps() {
    }

    /** The epoch nanoseconds a socket wrote into {@code field}, or empty (still a placeholder, null, anything else). */
    public static OptionalLong read(String field) {
        if (field == null || field.length() != LENGTH) return OptionalLong.empty();
        long value = 0;
        for (int i = 0; i < LENGTH; i++) {
            char c = field.charAt(i);
            if (c < '0' || c > '9') return OptionalLong.empty();
            value = value * 10 + (c - '0');
            if (value < 0) return OptionalLong.empty(); // beyond Long.MAX_VALUE
        }
        return OptionalLong.of(value);
    }

    /** Formats epoch nanoseconds the way a socket writes them (for tests and tools). */
    public static String format(long epochNanos) {
        byte[] digits = new byte[LENGTH];
        writeDigits(digits, 0, epochNanos);
        return new String(digits, StandardCharsets.US_ASCII);
    }

    /** Overwrites every placeholder ending in {@code suffix} within {@code packet[from, to)} with {@code epochNanos}. */
    static void stamp(byte[] packet, int from, int to, byte[] suffix, long epochNanos) {
        for (int at = find(packet, from, to, suffix); at >= 0; at = find(packet, at + LENGTH, to, suffix)) {
            write(packet, at, epochNanos);
        }
    }

    /** Where the first placeholder ending in {@code suffix} within {@code packet[from, to)} starts, or -1. */
    static int find(byte[] packet, int from, int to, byte[] suffix) {
        int last = to - LENGTH;
        for (int i = from; i <= last; i++) {
            if (packet[i] == '!' && matches(packet, i, PREFIX) && matches(packet, i + PREFIX.length, suffix)) return i;
        }
        return -1;
    }

    /** Overwrites the placeholder at {@code at}; a negative time (not representable) leaves it "not stamped". */
    static void write(byte[] packet, int at, long epochNanos) {
        if (epochNanos >= 0) writeDigits(packet, at, epochNanos);
    }

    private static boolean matches(byte[] b, int at, byte[] expected) {
        for (int k = 0; k < expected.length; k++) {
            if (b[at + k] != expected[k]) return false;
        }
        return true;
    }

    private static void writeDigits(byte[] b, int at, long value) {
        for (int i = at + LENGTH - 1; i >= at; i--) {
            b[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }
}
