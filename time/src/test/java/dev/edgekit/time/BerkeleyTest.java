package dev.edgekit.time;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgekit.testkit.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BerkeleyTest {

    @Test
    void onlyOffsetsNearTheMedianAreAveragedButEveryMemberIsCorrected() {
        Map<String, Duration> offsets = new LinkedHashMap<>();
        offsets.put("master", Duration.ZERO);
        offsets.put("a", Duration.ofMillis(10));
        offsets.put("b", Duration.ofMillis(-4));
        offsets.put("c", Duration.ofMillis(6));
        offsets.put("way-off", Duration.ofHours(1));
        Berkeley.Round round = Berkeley.round(offsets, Duration.ofMillis(20));
        assertThat(round.medianNanos()).isEqualTo(6_000_000);
        assertThat(round.averageNanos()).isEqualTo(3_000_000); // (0 + 10 − 4 + 6) / 4
        assertThat(round.excluded()).containsExactly("way-off");
        assertThat(round.adjustments().get("way-off").adjustment()).isEqualTo(Duration.ofMillis(3).minus(Duration.ofHours(1)));
        assertThat(round.adjustments().get("master").adjustment()).isEqualTo(Duration.ofMillis(3));
        assertThat(round.adjustments().get("b").includedInAverage()).isTrue();
    }

    @Test
    void afterOneRoundTwentyMembersAgreeWithinOneMillisecondAndTheOutlierIsCorrected() {
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        FakeClock reference = new FakeClock(start);
        SplittableRandom random = new SplittableRandom(2026);
        SimulatedNetwork network = new SimulatedNetwork(reference,
                new SimulatedNetwork.DelayModel(SimulatedNetwork.micros(150), SimulatedNetwork.micros(100), Duration.ZERO, SimulatedNetwork.micros(10)), random.split());
        Map<String, DisciplinedClock> members = new LinkedHashMap<>();
        for (int i = 0; i < 20; i++) {
            Duration offset = i == 13 ? Duration.ofHours(1) : Duration.ofMillis(random.nextLong(-5000, 5001));
            DeviceClock device = DeviceClock.simulated(reference).offset(offset).driftPpm(random.nextDouble(-50, 50))
                    .jitter(SimulatedNetwork.micros(1), random.split()).build();
            members.put("m" + i, DisciplinedClock.over(device));
        }
        DisciplinedClock master = members.get("m0");
        // the master polls each member: Cristian with its own clock (RTT-compensated offset = member − master)
        Map<String, Duration> offsets = new LinkedHashMap<>();
        for (var e : members.entrySet()) {
            if (e.getValue() == master) {
                offsets.put(e.getKey(), Duration.ZERO);
                continue;
            }
            // a burst of 3; the least round trip wins, as in the clock filter
            Exchange.Cristian best = null;
            for (int k = 0; k < 3; k++) {
                SimulatedNetwork.Result r = network.exchange(master::epochNanos, e.getValue()::epochNanos);
                var x = new Exchange.Cristian(r.t1(), (r.t2() + r.t3()) / 2, r.t4());
                if (best == null || x.delayNanos() < best.delayNanos()) best = x;
            }
            offsets.put(e.getKey(), Duration.ofNanos(best.offsetNanos()));
        }
        Berkeley.Round round = Berkeley.round(offsets, Duration.ofSeconds(10));
        for (var e : members.entrySet()) {
            network.oneWay(); // the adjustment travels; it is a difference, so its delay does not matter
            e.getValue().adjust("m0", round.adjustments().get(e.getKey()).adjustment(), Duration.ofMillis(3));
        }
        List<Long> good = new ArrayList<>();
        long ref = Nanos.epochNanos(reference.instant());
        members.forEach((id, clock) -> {
            if (!id.equals("m13")) good.add(clock.epochNanos() - ref);
        });
        long spread = good.stream().mapToLong(Long::longValue).max().orElseThrow() - good.stream().mapToLong(Long::longValue).min().orElseThrow();
        long outlier = members.get("m13").epochNanos() - ref;
        System.out.printf("Berkeley, 20 members ±5 s + one 1 h off, RTT 0.3 ± 0.2 ms, bursts of 3: good members agree within %.1f µs; outlier %.1f µs from the group mean%n",
                spread / 1e3, (outlier - good.stream().mapToLong(Long::longValue).sum() / good.size()) / 1e3);
        assertThat(round.excluded()).containsExactly("m13");
        assertThat(spread).isLessThan(1_000_000);
        assertThat(Math.abs(outlier - good.get(0))).isLessThan(1_000_000);
    }
}
