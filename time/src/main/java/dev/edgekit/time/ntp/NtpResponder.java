package dev.edgekit.time.ntp;

import dev.edgekit.time.DisciplinedClock;
import dev.edgekit.time.ServerInfo;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * The pure part of the server: one request's bytes, its source and its arrival stamp in; a verdict and, when there is
 * one, a 48-byte reply out (everything but the transmit timestamp, which the caller stamps right before sending).
 * Not thread-safe (the rate limiter's table): one receive thread owns it.
 */
final class NtpResponder {
    /** What became of one datagram. */
    sealed interface Outcome {
        /** A mode 4 reply is in the buffer. */
        record Served() implements Outcome {}

        /** A kiss-o'-death {@code RATE} is in the buffer. */
        record Kissed() implements Outcome {}

        /** No answer. */
        record Dropped(DropReason reason) implements Outcome {}
    }

    static final Outcome SERVED = new Outcome.Served();
    static final Outcome KISSED = new Outcome.Kissed();
    private static final int KISS_RATE = NtpWire.asciiId("RATE");

    private final DisciplinedClock clock;
    private final NtpServerConfig config;
    private final RateLimiter limiter;
    private final int stratumOneId;
    private final int precision;
    private String hashedUpstream;
    private int upstreamId;

    NtpResponder(DisciplinedClock clock, NtpServerConfig config) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.config = Objects.requireNonNull(config, "config");
        this.limiter = new RateLimiter(config.ratePerSecond(), config.burst(), config.kissInterval().toNanos(),
                config.maxSources());
        this.stratumOneId = NtpWire.asciiId(config.referenceId());
        this.precision = NtpWire.precisionExponent(clock.device().precision().toNanos());
    }

    /**
     * @param request          the datagram, from position 0 to its limit ({@code length}); may be cut to
     *                         {@code maxRequestBytes + 1} by the receive buffer
     * @param arrivalDeviceNanos the raw device clock read right after the datagram came off the socket
     * @param reply            receives the answer from position 0; flipped, ready to send, unless dropped
     */
    Outcome respond(ByteBuffer request, InetSocketAddress source, long arrivalDeviceNanos, ByteBuffer reply) {
        int length = request.remaining();
        if (length < NtpWire.HEADER_BYTES) return drop(DropReason.SHORT);
        if (length > config.maxRequestBytes()) return drop(DropReason.TOO_LARGE);
        if (length % 4 != 0) return drop(DropReason.BAD_LENGTH);
        int version = NtpWire.version(request);
        if (version < 1 || version > 4) return drop(DropReason.BAD_VERSION);
        int mode = NtpWire.mode(request);
        if (mode == 6 || mode == 7) return drop(DropReason.CONTROL);
        if (mode != NtpWire.MODE_CLIENT) return drop(DropReason.BAD_MODE);
        if (!answerable(source)) return drop(DropReason.BAD_SOURCE);
        long t2 = clock.epochNanosAt(arrivalDeviceNanos);
        return switch (limiter.admit(source.getAddress(), arrivalDeviceNanos)) {
            case ANSWER -> {
                writeReply(request, version, t2, reply);
                yield SERVED;
            }
            case KISS -> {
                writeKiss(request, version, t2, reply);
                yield KISSED;
            }
            case DROP -> drop(DropReason.RATE);
        };
    }

    /** Writes the transmit timestamp into a reply built by {@link #respond}. */
    static void stampTransmit(ByteBuffer reply, long epochNanos) {
        reply.putLong(NtpWire.TRANSMIT, NtpWire.timestamp(epochNanos));
    }

    int sources() {
        return limiter.sources();
    }

    private static Outcome drop(DropReason reason) {
        return new Outcome.Dropped(reason);
    }

    /** A reply goes back to the datagram's source; never to port 0 or an address that is not one host. */
    private static boolean answerable(InetSocketAddress source) {
        InetAddress a = source.getAddress();
        if (source.getPort() == 0 || a == null || a.isMulticastAddress() || a.isAnyLocalAddress()) return false;
        byte[] b = a.getAddress();
        return !(b.length == 4 && (b[0] & b[1] & b[2] & b[3]) == (byte) 0xFF);
    }

    private void writeReply(ByteBuffer request, int version, long t2, ByteBuffer reply) {
        ServerInfo info = clock.serverInfo("ntp");
        boolean synced = clock.synchronised() && info.synchronised();
        int stratum = synced ? info.stratum() : ServerInfo.UNSYNCHRONISED;
        reply.clear();
        reply.put((byte) (((synced ? NtpWire.LEAP_NONE : NtpWire.LEAP_ALARM) << 6) | (version << 3) | NtpWire.MODE_SERVER));
        reply.put((byte) stratum);
        reply.put(request.get(2)); // poll: the client's own, echoed (RFC 5905 §9.2)
        reply.put((byte) precision);
        // root delay + root dispersion / ... : root distance = delay / 2 + dispersion = our error bound (§7.3)
        reply.putInt(synced ? NtpWire.shortFormat(info.rootDelayNanos()) : 0);
        reply.putInt(synced ? NtpWire.shortFormat(info.rootDispersionNanos()) : 0);
        reply.putInt(synced ? referenceId(stratum) : 0);
        reply.putLong(synced ? NtpWire.timestamp(referenceTime(t2)) : 0);
        reply.putLong(request.getLong(NtpWire.TRANSMIT)); // origin = the client's transmit timestamp
        reply.putLong(NtpWire.timestamp(t2));
        reply.putLong(0); // transmit: stamped right before send
        reply.flip();
    }

    /** RFC 5905 §7.4: stratum 0, reference id = the kiss code, leap indicator 3; origin still echoes the client. */
    private void writeKiss(ByteBuffer request, int version, long t2, ByteBuffer reply) {
        reply.clear();
        reply.put((byte) ((NtpWire.LEAP_ALARM << 6) | (version << 3) | NtpWire.MODE_SERVER));
        reply.put((byte) 0);
        reply.put(request.get(2));
        reply.put((byte) precision);
        reply.putInt(0);
        reply.putInt(0);
        reply.putInt(KISS_RATE);
        reply.putLong(0);
        reply.putLong(request.getLong(NtpWire.TRANSMIT));
        reply.putLong(NtpWire.timestamp(t2));
        reply.putLong(0);
        reply.flip();
    }

    /**
     * Stratum 1: our configured source code (ASCII). Stratum 2-15: the upstream's identity, as RFC 5905 §7.3 does for
     * an IPv6 upstream (first four octets of the MD5 of its address); ours is an edgekit server id, so its id is hashed.
     */
    private int referenceId(int stratum) {
        if (stratum == 1) return stratumOneId;
        String upstream = clock.selectedServer().orElse("");
        if (!upstream.equals(hashedUpstream)) {
            hashedUpstream = upstream;
            upstreamId = ByteBuffer.wrap(md5(upstream)).getInt();
        }
        return upstreamId;
    }

    /** When the clock was last corrected; a reference clock is continuously referenced (now). */
    private long referenceTime(long t2) {
        long last = clock.lastUpdateDeviceNanos();
        return last == 0 ? t2 : Math.min(t2, clock.epochNanosAt(last));
    }

    private static byte[] md5(String text) {
        try {
            return MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required of every JDK", e);
        }
    }
}
