package dev.edgekit.time;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgekit.protocol.mqtt.WireStamps;
import org.junit.jupiter.api.Test;

/** Which socket stamps an exchange believes, and how they replace the application's. */
class WireTimesTest {
    // requester's raw clock: app t1 at 1000 µs, wire send 100 µs later; reply arrived on the wire at 1900 µs,
    // handed to the app at 1950 µs. Responder: request off its socket 45 µs before its app stamp; reply on the
    // wire 90 µs after its app t3.
    private static final long T1 = 1_000_000, W1 = 1_100_000, W4 = 1_900_000, T4 = 1_950_000;
    private static final long T2 = 5_000_000, T3 = 5_010_000, LEAD = 45_000, LOCAL3 = 77_000_000, W3 = 77_090_000;

    private static TimeMessage.Wire reply(String origin, String received, String sent, Long lead, Long local) {
        return new TimeMessage.Wire(sent, received, origin, lead, local);
    }

    private static TimeMessage.Wire good() {
        return reply(WireStamps.format(W1), WireStamps.format(W4), WireStamps.format(W3), LEAD, LOCAL3);
    }

    @Test
    void bothPairsFromTheSocketsWhenEveryStampIsThereAndPlausible() {
        WireTimes.Times t = WireTimes.refine(T1, T2, T3, T4, good(), true);
        assertThat(t).isEqualTo(new WireTimes.Times(W1, T2 - LEAD, T3 + (W3 - LOCAL3), W4, true, true));
        assertThat(t.onWire()).isTrue();
    }

    @Test
    void noWireFieldsKeepTheApplicationsStamps() {
        assertThat(WireTimes.refine(T1, T2, T3, T4, null, true))
                .isEqualTo(new WireTimes.Times(T1, T2, T3, T4, false, false));
        TimeMessage.Wire placeholders = reply(null, WireStamps.RECEIVED, WireStamps.SENT, null, null);
        assertThat(WireTimes.refine(T1, T2, T3, T4, placeholders, true))
                .isEqualTo(new WireTimes.Times(T1, T2, T3, T4, false, false));
    }

    @Test
    void aPairIsReplacedOnlyWhole() {
        TimeMessage.Wire noArrival = reply(WireStamps.format(W1), WireStamps.RECEIVED, WireStamps.format(W3), LEAD, LOCAL3);
        WireTimes.Times t = WireTimes.refine(T1, T2, T3, T4, noArrival, true);
        assertThat(t.t1()).isEqualTo(T1);
        assertThat(t.t4()).isEqualTo(T4);
        assertThat(t.responderOnWire()).isTrue();

        TimeMessage.Wire noLead = reply(WireStamps.format(W1), WireStamps.format(W4), WireStamps.format(W3), null, LOCAL3);
        WireTimes.Times u = WireTimes.refine(T1, T2, T3, T4, noLead, true);
        assertThat(u.t2()).isEqualTo(T2);
        assertThat(u.t3()).isEqualTo(T3);
        assertThat(u.requesterOnWire()).isTrue();
    }

    @Test
    void implausibleSocketStampsAreNotBelieved() {
        // a wire send before the application's, a wire arrival after it, a reversed pair, a negative lead, a wire
        // send of the reply before the responder's t3, gaps beyond a second
        assertThat(WireTimes.refine(T1, T2, T3, T4, reply(WireStamps.format(T1 - 1), WireStamps.format(W4),
                WireStamps.format(W3), LEAD, LOCAL3), true).requesterOnWire()).isFalse();
        assertThat(WireTimes.refine(T1, T2, T3, T4, reply(WireStamps.format(W1), WireStamps.format(T4 + 1),
                WireStamps.format(W3), LEAD, LOCAL3), true).requesterOnWire()).isFalse();
        assertThat(WireTimes.refine(T1, T2, T3, 1_200_000, reply(WireStamps.format(1_150_000),
                WireStamps.format(1_140_000), WireStamps.format(W3), LEAD, LOCAL3), true).requesterOnWire()).isFalse();
        assertThat(WireTimes.refine(T1, T2, T3, T4, reply(WireStamps.format(T1 + 2_000_000_000L), WireStamps.format(W4),
                WireStamps.format(W3), LEAD, LOCAL3), true).requesterOnWire()).isFalse();
        assertThat(WireTimes.refine(T1, T2, T3, T4, reply(WireStamps.format(W1), WireStamps.format(W4),
                WireStamps.format(W3), -1L, LOCAL3), true).responderOnWire()).isFalse();
        assertThat(WireTimes.refine(T1, T2, T3, T4, reply(WireStamps.format(W1), WireStamps.format(W4),
                WireStamps.format(LOCAL3 - 1), LEAD, LOCAL3), true).responderOnWire()).isFalse();
        assertThat(WireTimes.refine(T1, T2, T3, T4, reply(WireStamps.format(W1), WireStamps.format(W4),
                WireStamps.format(W3), 1_000_000_001L, LOCAL3), true).responderOnWire()).isFalse();
    }

    @Test
    void aRequesterWhoseSessionStampsAnotherClockUsesOnlyTheRespondersPair() {
        WireTimes.Times t = WireTimes.refine(T1, T2, T3, T4, good(), false);
        assertThat(t.requesterOnWire()).isFalse();
        assertThat(t.responderOnWire()).isTrue();
        assertThat(t.t1()).isEqualTo(T1);
    }

    @Test
    void theResponderEchoesOnlyStampedOriginsAndMeasuresItsLead() {
        TimeMessage.Wire stamped = new TimeMessage.Wire(WireStamps.format(W1), WireStamps.format(9_955_000), null, null, null);
        TimeMessage.Wire r = WireTimes.reply(stamped, 10_000_000, 10_020_000);
        assertThat(r).isEqualTo(new TimeMessage.Wire(WireStamps.SENT, WireStamps.RECEIVED, WireStamps.format(W1),
                45_000L, 10_020_000L));

        // an unstamped request: placeholders are never echoed (the responder's socket would stamp an echoed SENT)
        TimeMessage.Wire r2 = WireTimes.reply(WireTimes.request(), 10_000_000, 10_020_000);
        assertThat(r2).isEqualTo(new TimeMessage.Wire(WireStamps.SENT, WireStamps.RECEIVED, null, null, null));
        assertThat(WireTimes.reply(null, 1, 2)).isEqualTo(r2);

        // arrival on the wire after the application's arrival stamp: a different clock, not believed
        TimeMessage.Wire late = new TimeMessage.Wire(null, WireStamps.format(10_000_001), null, null, null);
        assertThat(WireTimes.reply(late, 10_000_000, 10_020_000).receiveLeadNanos()).isNull();
    }
}
