package dev.edgekit.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TimeSyncSimulationTest {

    @Test
    void aClockTenSecondsOffConvergesToUnderOneMillisecondWithinTenExchanges() {
        SimRig rig = SimRig.oneServer(1, Duration.ofSeconds(10), 200, SimulatedNetwork.DelayModel.lan());
        List<Long> errors = new ArrayList<>();
        rig.runUntil(SimRig.START.plusSeconds(30), v -> {
            if (errors.size() < 10) errors.add(rig.observe().errorNanos());
        }, () -> { });
        System.out.printf("convergence from +10 s, 200 ppm: |error| after each of 10 exchanges (µs): %s%n",
                errors.stream().map(e -> String.format("%.1f", Math.abs(e) / 1e3)).toList());
        assertThat(errors).hasSize(10);
        assertThat(Math.abs(errors.get(9))).isLessThan(1_000_000);
        assertThat(rig.clock.steps()).isEqualTo(1);
    }

    @Test
    void frequencyIsEstimatedWithinHalfAPpmOfTheInjectedDriftAfterFiveMinutes() {
        for (double drift : new double[] {200, -200}) {
            SimRig rig = SimRig.oneServer(2, Duration.ofSeconds(-3), drift, SimulatedNetwork.DelayModel.lan());
            rig.runUntil(SimRig.START.plus(Duration.ofMinutes(5)));
            FrequencyEstimate f = rig.clock.frequency();
            System.out.printf("drift %+.0f ppm: estimated %+.4f ppm ± %.4f after 5 min, %d exchanges, poll %s%n",
                    drift, f.driftPpm(), f.tolerancePpm(), rig.exchanges, rig.sync.status().pollInterval());
            assertThat(f.driftPpm()).isCloseTo(drift, org.assertj.core.data.Offset.offset(0.5));
        }
    }

    @Test
    void withoutAServerTheErrorGrowsByAtMostHalfAMillisecondInTenMinutes() {
        SimRig rig = SimRig.oneServer(3, Duration.ofSeconds(5), 200, SimulatedNetwork.DelayModel.lan());
        rig.runUntil(SimRig.START.plus(Duration.ofMinutes(5)));
        long before = rig.observe().errorNanos();
        rig.serversUp = false;
        List<SimRig.Observation> seen = new ArrayList<>();
        rig.runUntil(SimRig.START.plus(Duration.ofMinutes(15)), v -> { }, () -> seen.add(rig.observe()));
        SimRig.Observation after = rig.observe();
        long growth = Math.abs(after.errorNanos() - before);
        System.out.printf("holdover: error %.1f µs at loss of server, %.1f µs 10 min later (growth %.1f µs), bound %.1f µs, state %s%n",
                before / 1e3, after.errorNanos() / 1e3, growth / 1e3, after.boundNanos() / 1e3, rig.sync.status().state());
        assertThat(growth).isLessThanOrEqualTo(500_000);
        assertThat(seen).allSatisfy(o -> assertThat(Math.abs(o.errorNanos())).isLessThanOrEqualTo(o.boundNanos()));
        assertThat(rig.sync.status().state()).isEqualTo(SyncStatus.State.HOLDOVER);
        assertThat(rig.sync.timeouts()).isPositive();
    }

    @Test
    void theTrueErrorStaysInsideTheReportedBoundUnderAsymmetricDelay() {
        // +5 ms on the way out, ±2 ms jitter each way, 200 ppm drift, 10 s off
        var asymmetric = new SimulatedNetwork.DelayModel(Duration.ofMillis(3), Duration.ofMillis(2), Duration.ofMillis(5),
                SimulatedNetwork.micros(10));
        SimRig rig = SimRig.oneServer(4, Duration.ofSeconds(10), 200, asymmetric);
        List<SimRig.Observation> seen = new ArrayList<>();
        rig.runUntil(SimRig.START.plus(Duration.ofMinutes(10)), v -> {
            if (rig.clock.synchronised()) seen.add(rig.observe());
        }, () -> {
            if (rig.clock.synchronised()) seen.add(rig.observe());
        });
        long[] abs = seen.stream().mapToLong(o -> Math.abs(o.errorNanos())).sorted().toArray();
        long[] bounds = seen.stream().mapToLong(SimRig.Observation::boundNanos).sorted().toArray();
        System.out.printf("asymmetric +5 ms: %d observations, |error| p50 %.0f µs p99 %.0f µs max %.0f µs; bound p50 %.0f µs p99 %.0f µs%n",
                abs.length, abs[abs.length / 2] / 1e3, abs[(int) (abs.length * 0.99)] / 1e3, abs[abs.length - 1] / 1e3,
                bounds[bounds.length / 2] / 1e3, bounds[(int) (bounds.length * 0.99)] / 1e3);
        assertThat(seen).hasSizeGreaterThan(100);
        assertThat(seen).allSatisfy(o -> assertThat(Math.abs(o.errorNanos())).isLessThanOrEqualTo(o.boundNanos()));
        // the asymmetry biases the estimate by about 2.5 ms: the bound must have been needed
        assertThat(abs[abs.length / 2]).isGreaterThan(1_000_000);
    }

    @Test
    void readingsNeverGoBackwardsWhileSyncing() {
        SimRig rig = SimRig.oneServer(5, Duration.ofSeconds(-7), -200, SimulatedNetwork.DelayModel.lan());
        long[] last = {Long.MIN_VALUE};
        Runnable check = () -> {
            if (!rig.clock.synchronised()) return;
            long now = rig.clock.epochNanos();
            assertThat(now).isGreaterThanOrEqualTo(last[0]);
            last[0] = now;
        };
        rig.runUntil(SimRig.START.plus(Duration.ofMinutes(3)), v -> check.run(), check);
        assertThat(last[0]).isNotEqualTo(Long.MIN_VALUE);
    }

    @Test
    void pollingStartsFastAndLengthensAsTheEstimateSettles() {
        SimRig rig = SimRig.oneServer(6, Duration.ofSeconds(1), 50, SimulatedNetwork.DelayModel.lan());
        assertThat(rig.sync.status().pollInterval()).isEqualTo(Duration.ofMillis(250));
        rig.runUntil(SimRig.START.plus(Duration.ofMinutes(10)));
        System.out.printf("poll interval after 10 min: %s, %d exchanges%n", rig.sync.status().pollInterval(), rig.exchanges);
        assertThat(rig.sync.status().pollInterval()).isEqualTo(Duration.ofSeconds(64));
    }

    @Test
    void aSavedFrequencyLetsARestartedClientHoldTimeFromTheFirstBurst() {
        SimRig cold = SimRig.oneServer(7, Duration.ofSeconds(2), 200, SimulatedNetwork.DelayModel.lan());
        SimRig warm = new SimRig(7, Duration.ofSeconds(2), 200, SimulatedNetwork.DelayModel.lan(), Map.of("ref", Duration.ZERO),
                TimeSyncConfig.builder("client", List.of("ref")), Optional.of(new FrequencyEstimate(200.1, 0.5)));
        for (SimRig rig : List.of(cold, warm)) {
            rig.runUntil(SimRig.START.plusSeconds(1)); // one or two bursts
            rig.serversUp = false;
            rig.runUntil(SimRig.START.plusSeconds(61));
        }
        long coldError = Math.abs(cold.observe().errorNanos()), warmError = Math.abs(warm.observe().errorNanos());
        System.out.printf("one minute of holdover after 1 s of sync: cold start %.1f µs, with drift file %.1f µs%n",
                coldError / 1e3, warmError / 1e3);
        assertThat(warmError).isLessThan(100_000);
        assertThat(warmError).isLessThan(coldError);
    }

    @Test
    void twoByzantineServersOutOfFiveDoNotMoveTheClockOutsideTheTruechimersInterval() {
        Map<String, Duration> offsets = new LinkedHashMap<>();
        offsets.put("a", Duration.ZERO);
        offsets.put("b", SimulatedNetwork.micros(30));
        offsets.put("c", SimulatedNetwork.micros(-30));
        offsets.put("liar-plus", Duration.ofMillis(100));
        offsets.put("liar-minus", Duration.ofSeconds(-5));
        SimRig rig = new SimRig(8, Duration.ofSeconds(10), 100, SimulatedNetwork.DelayModel.lan(), offsets,
                TimeSyncConfig.builder("client", List.copyOf(offsets.keySet())), Optional.empty());
        List<SimRig.Observation> seen = new ArrayList<>();
        rig.runUntil(SimRig.START.plus(Duration.ofMinutes(2)), v -> { }, () -> {
            if (rig.clock.synchronised()) seen.add(rig.observe());
        });
        Selection.Selected selected = (Selection.Selected) rig.sync.lastSelection().orElseThrow();
        System.out.printf("5 servers, 2 Byzantine: survivors %s, falsetickers %s, final error %.1f µs, bound %.1f µs%n",
                selected.survivors(), selected.falsetickers(), rig.observe().errorNanos() / 1e3, rig.observe().boundNanos() / 1e3);
        assertThat(selected.falsetickers()).containsExactlyInAnyOrder("liar-plus", "liar-minus");
        long late = seen.size() / 2;
        // after the first selections: inside [−30 µs, +30 µs] widened by the truechimers' own error (a few µs)
        assertThat(seen.subList((int) late, seen.size()))
                .allSatisfy(o -> assertThat(o.errorNanos()).isBetween(-60_000L, 60_000L));
        assertThat(seen).allSatisfy(o -> assertThat(Math.abs(o.errorNanos())).isLessThanOrEqualTo(o.boundNanos()));
    }

    @Test
    void withHalfTheServersWrongTheClientRefusesToSelectAndSaysSo() {
        Map<String, Duration> offsets = new LinkedHashMap<>();
        offsets.put("a", Duration.ZERO);
        offsets.put("b", Duration.ZERO);
        offsets.put("liar-1", Duration.ofMillis(100));
        offsets.put("liar-2", Duration.ofSeconds(-5));
        SimRig rig = new SimRig(9, Duration.ofSeconds(10), 0, SimulatedNetwork.DelayModel.lan(), offsets,
                TimeSyncConfig.builder("client", List.copyOf(offsets.keySet())), Optional.empty());
        rig.runUntil(SimRig.START.plusSeconds(20));
        assertThat(rig.sync.lastSelection()).containsInstanceOf(Selection.Refused.class);
        assertThat(((Selection.Refused) rig.sync.lastSelection().orElseThrow()).reason()).isEqualTo(Selection.Reason.NO_MAJORITY);
        // the very first sample (one candidate, a majority of one) may have set it; never a liar's time since
        assertThat(rig.sync.status().state()).isNotEqualTo(SyncStatus.State.SYNCHRONISED);
    }

    @Test
    void aDeviceClockStepIsConfirmedThenCorrectedWithoutRunningBackwards() {
        SimRig stepping = SimRigs.withDeviceStep(11, Instant.parse("2026-01-01T00:01:00Z"), Duration.ofSeconds(-2));
        long[] last = {Long.MIN_VALUE};
        List<Verdict> verdicts = new ArrayList<>();
        stepping.runUntil(SimRig.START.plus(Duration.ofMinutes(3)), verdicts::add, () -> {
            if (!stepping.clock.synchronised()) return;
            long now = stepping.clock.epochNanos();
            assertThat(now).isGreaterThanOrEqualTo(last[0]);
            last[0] = now;
        });
        System.out.printf("device step −2 s: spikes rejected %d, final error %.1f µs%n",
                stepping.sync.rejections().getOrDefault(RejectReason.SPIKE, 0L), stepping.observe().errorNanos() / 1e3);
        assertThat(stepping.sync.rejections().get(RejectReason.SPIKE)).isEqualTo(2L);
        assertThat(Math.abs(stepping.observe().errorNanos())).isLessThan(1_000_000);
    }

    @Test
    void cristianAndBoundedModesAlsoConvergeAndStayInsideTheirBounds() {
        var delays = new SimulatedNetwork.DelayModel(SimulatedNetwork.micros(200), SimulatedNetwork.micros(100), Duration.ZERO,
                SimulatedNetwork.micros(10));
        for (SyncMode mode : List.<SyncMode>of(new SyncMode.Cristian(),
                new SyncMode.Bounded(SimulatedNetwork.micros(100), SimulatedNetwork.micros(300)))) {
            SimRig rig = new SimRig(12, Duration.ofSeconds(10), 100, delays, Map.of("ref", Duration.ZERO),
                    TimeSyncConfig.builder("client", List.of("ref")).mode(mode), Optional.empty());
            List<SimRig.Observation> seen = new ArrayList<>();
            rig.runUntil(SimRig.START.plus(Duration.ofMinutes(3)), v -> { }, () -> {
                if (rig.clock.synchronised()) seen.add(rig.observe());
            });
            long max = seen.stream().skip(seen.size() / 2).mapToLong(o -> Math.abs(o.errorNanos())).max().orElseThrow();
            System.out.printf("%s: max |error| in the second half %.1f µs, rejections %s%n", mode, max / 1e3, rig.sync.rejections());
            assertThat(seen).allSatisfy(o -> assertThat(Math.abs(o.errorNanos())).isLessThanOrEqualTo(o.boundNanos()));
            assertThat(max).isLessThan(200_000);
        }
    }
}
