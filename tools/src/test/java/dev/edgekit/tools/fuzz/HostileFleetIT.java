package dev.edgekit.tools.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgekit.testkit.BrokerExtension;
import dev.edgekit.testkit.fuzz.Fuzzer;
import dev.edgekit.testkit.fuzz.HostileInput;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The short CI run of the hostile-input fuzzer (the long one is {@code edgekit bench fuzz}): a fleet of four agents on
 * a real Mosquitto takes 15 s of seeded hostile inputs and keeps every invariant, and every input is counted where
 * the rules say.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class HostileFleetIT {
    @RegisterExtension
    final BrokerExtension broker = BrokerExtension.mosquitto();

    @Test
    void aFleetUnderAttackKeepsItsInvariantsAndCountsEveryInput() throws Exception {
        FuzzRun.Settings settings = new FuzzRun.Settings(4, 20261203,
                new Fuzzer.Pace(40, Duration.ofSeconds(15), 2_000, Duration.ofSeconds(5), 60), Duration.ofSeconds(1),
                Duration.ZERO);

        FuzzRun.Result result = FuzzRun.run(broker.uri(), settings, line -> { });

        assertThat(result.violations()).isEmpty();
        assertThat(result.tally().failed()).isZero();
        for (HostileInput.Kind kind : HostileInput.Kind.values()) {
            assertThat(result.tally().sent(kind)).as("inputs of kind %s", kind).isPositive();
        }
        // the attack did reach the devices and their defences: each refusal counter moved
        long misdirected = result.refusedDelta().values().stream().mapToLong(m -> m.get("misdirected")).sum();
        long stamps = result.refusedDelta().values().stream().mapToLong(m -> m.get("stamps")).sum();
        long busy = result.refusedDelta().values().stream().mapToLong(m -> m.get("busy")).sum();
        assertThat(misdirected).isPositive();
        assertThat(stamps).isPositive();
        assertThat(busy).isPositive();
        assertThat(result.registryDelta().contradicted()).isPositive();
        assertThat(result.figures().values()).allSatisfy(f -> assertThat(f.highestLamport())
                .isLessThan(FleetInvariants.MAX_LAMPORT));
    }
}
