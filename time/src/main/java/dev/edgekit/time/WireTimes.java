package dev.edgekit.time;

import dev.edgekit.protocol.mqtt.WireStamps;
import java.util.OptionalLong;

/**
 * Refines an exchange's four timestamps with the stamps its sockets took ({@link WireStamps}), which leave Paho's
 * thread hand-offs (~100 µs before the socket write, 40–55 µs after the read, each wobbling) out of the measured
 * path. The requester's pair (t1, t4) and the responder's pair (t2, t3) are refined separately and only whole: a
 * pair with one stamp from the socket and one from the application would be biased by a hand-off.
 *
 * <p>A socket stamp is believed only when it sits where it must relative to the application's own stamp of the same
 * event on the same clock (a wire send after the application's, a wire arrival before it) and within
 * {@link #MAX_GAP_NANOS} of it; otherwise the exchange keeps the application's stamps. Either way the sample then
 * goes through {@link TimeSync}'s checks as before.
 */
final class WireTimes {
    /** A socket stamp further than this from the application's stamp of the same event is not believed. */
    static final long MAX_GAP_NANOS = 1_000_000_000L;

    private WireTimes() {
    }

    /** The wire fields of a request. */
    static TimeMessage.Wire request() {
        return new TimeMessage.Wire(WireStamps.SENT, WireStamps.RECEIVED, null, null, null);
    }

    /**
     * The wire fields of a reply, from the request's and the responder's own stamps on its raw clock.
     *
     * @param request            the request's wire fields (null from a peer without them)
     * @param arrivalRawNanos    the responder's arrival stamp of the request ({@code Inbound.receivedAt})
     * @param transmitRawNanos   the responder's raw clock when it took t3
     */
    static TimeMessage.Wire reply(TimeMessage.Wire request, long arrivalRawNanos, long transmitRawNanos) {
        String origin = null;
        Long lead = null;
        if (request != null) {
            if (WireStamps.read(request.sent()).isPresent()) origin = request.sent();
            OptionalLong arrived = WireStamps.read(request.received());
            if (arrived.isPresent() && within(arrived.getAsLong(), arrivalRawNanos)) {
                lead = arrivalRawNanos - arrived.getAsLong();
            }
        }
        return new TimeMessage.Wire(WireStamps.SENT, WireStamps.RECEIVED, origin, lead,
                lead == null ? null : transmitRawNanos);
    }

    /**
     * The four timestamps, with whichever pair the sockets stamped replaced by their socket stamps.
     *
     * @param t1Raw   the requester's send stamp (its raw clock, the clock its session stamps with)
     * @param t2      the responder's receive timestamp from the reply
     * @param t3      the responder's transmit timestamp from the reply
     * @param t4Raw   the requester's arrival stamp of the reply (its raw clock)
     * @param sameClock whether the requester's session stamps with the clock of t1/t4 (else its socket stamps are
     *                on another timeline and only the responder's pair is refined)
     */
    static Times refine(long t1Raw, long t2, long t3, long t4Raw, TimeMessage.Wire reply, boolean sameClock) {
        if (reply == null) return new Times(t1Raw, t2, t3, t4Raw, false, false);
        long t1 = t1Raw, t4 = t4Raw;
        boolean requester = false;
        OptionalLong w1 = WireStamps.read(reply.origin());
        OptionalLong w4 = WireStamps.read(reply.received());
        if (sameClock && w1.isPresent() && w4.isPresent() && within(t1Raw, w1.getAsLong())
                && within(w4.getAsLong(), t4Raw) && w1.getAsLong() <= w4.getAsLong()) {
            t1 = w1.getAsLong();
            t4 = w4.getAsLong();
            requester = true;
        }
        boolean responder = false;
        OptionalLong w3 = WireStamps.read(reply.sent());
        Long lead = reply.receiveLeadNanos();
        Long local = reply.transmitLocalNanos();
        if (w3.isPresent() && lead != null && local != null && lead >= 0 && lead <= MAX_GAP_NANOS
                && within(local, w3.getAsLong())) {
            // the gaps are on the responder's raw clock; its disciplined clock runs within 500 ppm of it, which over
            // these microseconds is below a nanosecond
            t2 -= lead;
            t3 += w3.getAsLong() - local;
            responder = true;
        }
        return new Times(t1, t2, t3, t4, requester, responder);
    }

    /** Whether {@code later} is at or after {@code earlier}, by at most {@link #MAX_GAP_NANOS}. */
    private static boolean within(long earlier, long later) {
        long gap = later - earlier;
        return gap >= 0 && gap <= MAX_GAP_NANOS;
    }

    /** t1…t4 after refinement, and which pairs came from the sockets. */
    record Times(long t1, long t2, long t3, long t4, boolean requesterOnWire, boolean responderOnWire) {
        boolean onWire() {
            return requesterOnWire && responderOnWire;
        }
    }
}
