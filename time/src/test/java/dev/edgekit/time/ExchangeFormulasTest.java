package dev.edgekit.time;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class ExchangeFormulasTest {

    @Test
    void ntpOffsetAndDelayFollowTheFourTimestampFormulas() {
        // client 5 ms behind the server; 3 ms out, 1 ms processing, 7 ms back
        long t1 = 1_000_000_000L, t2 = t1 + 5_000_000 + 3_000_000, t3 = t2 + 1_000_000, t4 = t1 + 3_000_000 + 1_000_000 + 7_000_000;
        var x = new Exchange.FourTimestamps(t1, t2, t3, t4);
        assertThat(x.delayNanos()).isEqualTo(10_000_000);
        // asymmetry of 4 ms biases the estimate by half of it: 5 ms − 2 ms
        assertThat(x.offsetNanos()).isEqualTo(3_000_000);
    }

    @Test
    void cristianAddsHalfTheRoundTripToTheServerTime() {
        var x = new Exchange.Cristian(100, 1_000, 300); // RTT 200, T = 1000, received at 300
        assertThat(x.offsetNanos()).isEqualTo(1_000 + 100 - 300);
        assertThat(x.delayNanos()).isEqualTo(200);
    }

    @Test
    void boundedMethodSetsTheMidpointOfTheTransitBoundsNotHalfTheirSpread() {
        // the seed's "t + u/2" with u = Tmax − Tmin would give 4 ms here; the midpoint is 6 ms
        var x = new Exchange.Bounded(50_000_000, 10_000_000, 2_000_000, 10_000_000);
        assertThat(x.offsetNanos()).isEqualTo(50_000_000 + 6_000_000 - 10_000_000);
        assertThat(Exchange.boundedSkewNanos(2_000_000, 10_000_000)).isEqualTo(4_000_000);
        assertThat(x.delayNanos() / 2).isEqualTo(4_000_000);
    }

    @Property
    void offsetIsExactOnASymmetricPathWhateverTheDelayAndProcessing(
            @ForAll @LongRange(min = -10_000_000_000L, max = 10_000_000_000L) long trueOffset,
            @ForAll @LongRange(min = 0, max = 1_000_000_000L) long oneWay,
            @ForAll @LongRange(min = 0, max = 100_000_000L) long processing,
            @ForAll @LongRange(min = 1_600_000_000_000_000_000L, max = 1_900_000_000_000_000_000L) long t1) {
        long t2 = t1 + oneWay + trueOffset, t3 = t2 + processing, t4 = t1 + 2 * oneWay + processing;
        assertThat(Exchange.ntpOffsetNanos(t1, t2, t3, t4)).isEqualTo(trueOffset);
        assertThat(Exchange.ntpDelayNanos(t1, t2, t3, t4)).isEqualTo(2 * oneWay);
    }

    @Property
    void offsetErrorIsHalfTheAsymmetryAndNeverExceedsHalfTheDelay(
            @ForAll @LongRange(min = -10_000_000_000L, max = 10_000_000_000L) long trueOffset,
            @ForAll @LongRange(min = 0, max = 1_000_000_000L) long out,
            @ForAll @LongRange(min = 0, max = 1_000_000_000L) long back,
            @ForAll @LongRange(min = 0, max = 100_000_000L) long processing) {
        long t1 = 1_750_000_000_000_000_000L;
        long t2 = t1 + out + trueOffset, t3 = t2 + processing, t4 = t1 + out + processing + back;
        long theta = Exchange.ntpOffsetNanos(t1, t2, t3, t4);
        long delay = Exchange.ntpDelayNanos(t1, t2, t3, t4);
        assertThat(theta - trueOffset).isBetween(Math.floorDiv(out - back, 2) - 1, Math.floorDiv(out - back, 2) + 1);
        assertThat(Math.abs(theta - trueOffset)).isLessThanOrEqualTo(delay / 2 + 1);
    }

    @Property
    void offsetIsAntisymmetricWhenClientAndServerSwapRoles(
            @ForAll @LongRange(min = 0, max = 1L << 50) long t1, @ForAll @LongRange(min = 0, max = 1L << 50) long t2,
            @ForAll @LongRange(min = 0, max = 1L << 50) long t3, @ForAll @LongRange(min = 0, max = 1L << 50) long t4) {
        long forward = Exchange.ntpOffsetNanos(t1, t2, t3, t4);
        long mirrored = Exchange.ntpOffsetNanos(t2, t1, t4, t3);
        assertThat(forward + mirrored).isBetween(-1L, 1L); // floor rounding of odd sums
    }

    @Property
    void cristianIsNtpWithTheServerTimeAsBothServerStamps(
            @ForAll @LongRange(min = 0, max = 1L << 50) long t1, @ForAll @LongRange(min = 0, max = 1_000_000_000L) long rtt,
            @ForAll @LongRange(min = 0, max = 1L << 50) long serverTime) {
        long t4 = t1 + rtt;
        var cristian = new Exchange.Cristian(t1, serverTime, t4);
        var ntp = new Exchange.FourTimestamps(t1, serverTime, serverTime, t4);
        assertThat(cristian.offsetNanos()).isBetween(ntp.offsetNanos() - 1, ntp.offsetNanos() + 1);
        assertThat(cristian.delayNanos()).isEqualTo(ntp.delayNanos());
    }

    @Property
    void boundedMethodErrorNeverExceedsHalfTheSpread(
            @ForAll @LongRange(min = 0, max = 10_000_000L) long tMin, @ForAll @LongRange(min = 0, max = 10_000_000L) long spread,
            @ForAll @LongRange(min = 0, max = 1_000_000L) long permille,
            @ForAll @LongRange(min = -5_000_000_000L, max = 5_000_000_000L) long trueOffset) {
        long tMax = tMin + spread;
        long transit = tMin + spread * Math.min(permille, 1000) / 1000; // anywhere in [Tmin, Tmax]
        long serverSend = 1_750_000_000_000_000_000L;
        long clientReceive = serverSend - trueOffset + transit;
        var x = new Exchange.Bounded(serverSend, clientReceive, tMin, tMax);
        assertThat(Math.abs(x.offsetNanos() - trueOffset)).isLessThanOrEqualTo(Exchange.boundedSkewNanos(tMin, tMax) + 1);
    }
}
