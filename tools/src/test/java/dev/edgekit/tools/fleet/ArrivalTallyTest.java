package dev.edgekit.tools.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class ArrivalTallyTest {
    private static final double T0 = 1_800_000_000.0;
    private final ArrivalTally tally = new ArrivalTally();

    private void telemetry(String id, long seq, double arrival, double sampledAt) {
        Instant time = Instant.ofEpochSecond((long) sampledAt, Math.round((sampledAt % 1) * 1e9));
        tally.accept(String.format(Locale.ROOT, "%.9f edgekit/v1/sim/%s/telemetry/t {\"v\":1,\"id\":\"%s\",\"seq\":%d,"
                + "\"channel\":\"t\",\"value\":1.0,\"unit\":\"C\",\"time\":\"%s\"}", arrival, id, id, seq, time));
    }

    private void birth(String id, double arrival) {
        tally.accept(String.format(Locale.ROOT, "%.9f edgekit/v1/sim/%s/state {\"v\":1,\"status\":\"online\",\"id\":\"%s\","
                + "\"birthSeq\":7}", arrival, id, id));
    }

    private void heartbeat(String id, double arrival) {
        tally.accept(String.format(Locale.ROOT, "%.9f edgekit/v1/sim/%s/heartbeat {}", arrival, id));
    }

    private FleetFigures.Delivery result(double stopAt) {
        return tally.result(1, 1, 1, stopAt, 5, 0);
    }

    @Test
    void aDeviceOnScheduleWithEverythingDeliveredHasNoGapsNoLagAndNoSuspicion() {
        birth("a", T0);
        for (int k = 0; k < 60; k++) {
            telemetry("a", 100 + k, T0 + k + 0.01, T0 + k);
            heartbeat("a", T0 + k + 0.5);
        }
        FleetFigures.Delivery d = result(T0 + 60);
        assertThat(d.born()).isEqualTo(1);
        assertThat(d.unique()).isEqualTo(60);
        assertThat(d.gaps()).isZero();
        assertThat(d.deliveredPct()).isEqualTo(100.0);
        assertThat(d.lagP99Seconds()).isCloseTo(0, within(1e-6));
        assertThat(d.suspicions()).isZero();
    }

    @Test
    void aMissingSequenceNumberMidRunIsAGapAndARepeatedOneADuplicate() {
        birth("a", T0);
        for (int k = 0; k < 60; k++) {
            if (k != 10) {
                telemetry("a", 100 + k, T0 + k, T0 + k);
            }
        }
        telemetry("a", 120, T0 + 61, T0 + 20);
        FleetFigures.Delivery d = result(T0 + 70);
        assertThat(d.gaps()).isEqualTo(1);
        assertThat(d.duplicates()).isEqualTo(1);
        assertThat(d.unique()).isEqualTo(59);
        assertThat(d.deliveredPct()).isCloseTo(100.0 * 59 / 60, within(1e-9));
    }

    @Test
    void aHoleThatClosesJustBeforeTheStopIsInFlightNotLost() {
        telemetry("a", 1, T0, T0);
        telemetry("a", 3, T0 + 58, T0 + 2);
        FleetFigures.Delivery d = result(T0 + 60);
        assertThat(d.gaps()).isZero();
        assertThat(d.inFlight()).isEqualTo(1);
    }

    @Test
    void aSamplerThatFallsBehindShowsAGrowingLag() {
        for (int k = 0; k < 30; k++) {
            telemetry("a", k, T0 + k * 1.5, T0 + k * 1.5); // one sample every 1.5 s on a 1 s schedule
        }
        assertThat(result(T0 + 100).lagMaxSeconds()).isCloseTo(14.5, within(1e-3));
    }

    @Test
    void theSteadyStateLagLeavesOutWhatWasSampledBeforeTheLastDeviceWasBorn() {
        birth("a", T0);
        for (int k = 0; k < 60; k++) { // 4 s late while the fleet starts, then on schedule again
            double late = k < 20 ? 4 * k / 20.0 : 0;
            telemetry("a", k, T0 + k + late + 0.01, T0 + k + late);
        }
        birth("b", T0 + 25); // the last device is up at 25 s
        FleetFigures.Delivery d = result(T0 + 70);
        assertThat(d.lagP99Seconds()).isGreaterThan(3);
        assertThat(d.lagP99UpSeconds()).isCloseTo(0, within(1e-3));
    }

    @Test
    void aHeartbeatSilenceLongerThanThreeIntervalsIsASuspicion() {
        birth("a", T0);
        heartbeat("a", T0 + 1);
        heartbeat("a", T0 + 2);
        heartbeat("a", T0 + 6);
        heartbeat("a", T0 + 7);
        assertThat(result(T0 + 8).suspicions()).isEqualTo(1);
    }

    @Test
    void anOfflineStateBeforeTheStopIsCountedAsFalseOffline() {
        birth("a", T0);
        tally.accept(String.format(Locale.ROOT, "%.9f edgekit/v1/sim/a/state {\"status\":\"offline\",\"id\":\"a\"}", T0 + 3));
        assertThat(result(T0 + 60).falseOffline()).isEqualTo(1);
    }

    @Test
    void linesThatDoNotParseOrLieAboutTheirDeviceAreCountedAndSkipped() {
        tally.accept("garbage");
        tally.accept("1.0 edgekit/v1/sim/a/telemetry/t {not json");
        tally.accept("1.0 edgekit/v1/sim/a/telemetry/t {\"id\":\"b\",\"seq\":1,\"channel\":\"t\",\"time\":\"2026-01-01T00:00:00Z\"}");
        tally.accept("1.0 edgekit/v1/sim/a/telemetry/t {\"id\":\"a\",\"seq\":\"x\"}");
        tally.accept("1.0 edgekit/v1/sim/$time/sim-time/request {}");
        FleetFigures.Delivery d = result(100);
        assertThat(d.malformed()).isEqualTo(4);
        assertThat(d.unique()).isZero();
    }
}
