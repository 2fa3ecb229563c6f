package dev.edgekit.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.edgekit.testkit.BrokerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two simulations of the same fleet (same site, same seed) on one host and one broker do not collide. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class TwoSimulationsIT {
    @RegisterExtension
    final BrokerExtension broker = BrokerExtension.mosquitto();

    private Simulator.Plan plan(String site) {
        return new Simulator.Plan(2, broker.uri(), site, 1, Duration.ofMillis(500), Duration.ofMillis(500),
                Duration.ofSeconds(1), 10, 0, Duration.ofSeconds(60), Duration.ofMillis(250), Shard.WHOLE);
    }

    @Test
    void twoRunsOfOneFleetKeepTheirOwnStateFoldersAndSessions() throws Exception {
        String site = "s" + UUID.randomUUID().toString().substring(0, 8);
        Path firstRoot;
        Path secondRoot;
        try (Simulator first = new Simulator(plan(site), Clock.systemUTC());
                Simulator second = new Simulator(plan(site), Clock.systemUTC())) {
            firstRoot = first.run().root();
            secondRoot = second.run().root();
            assertThat(firstRoot).isNotEqualTo(secondRoot);
            assertThat(first.run().clientId("sim-0001")).isNotEqualTo(second.run().clientId("sim-0001"))
                    .startsWith("sim-0001-");

            first.start().get(30, TimeUnit.SECONDS);
            second.start().get(30, TimeUnit.SECONDS);
            // a shared client id would make the broker close the older session at once, and Paho reconnect it
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() ->
                    first.summary().reconnects() == 0 && second.summary().reconnects() == 0);
            assertThat(first.summary().online()).isEqualTo(2);
            assertThat(first.run().outboxFile(0)).exists().isNotEqualTo(second.run().outboxFile(0));
            assertThat(second.run().outboxFile(0)).exists();
        }
        assertThat(firstRoot).doesNotExist();
        assertThat(secondRoot).doesNotExist();
    }

    @Test
    void aKeptRunLeavesItsStateFolderBehind() throws Exception {
        SimulationRun run = SimulationRun.create(true);
        try (Simulator simulator = new Simulator(plan("k" + UUID.randomUUID().toString().substring(0, 8)),
                Clock.systemUTC(), run)) {
            simulator.start().get(30, TimeUnit.SECONDS);
        }
        try {
            assertThat(run.outboxFile(0)).exists();
        } finally {
            try (var files = Files.walk(run.root())) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
