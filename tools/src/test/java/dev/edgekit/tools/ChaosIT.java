package dev.edgekit.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.testkit.BrokerExtension;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A fleet of six on a persistent Mosquitto, three of them struck by chaos for 30 s (crashes, cuts, broker restarts,
 * clock steps): nothing is lost, no sequence number is reused, every device comes back in a newer session with a
 * synchronised clock, and the three witnesses are never shown offline.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ChaosIT {
    @RegisterExtension
    final BrokerExtension broker = BrokerExtension.mosquitto("mosquitto/persistent.conf", Map.of());

    @Test
    void aFleetUnderChaosLosesNothingAndComesBack() throws Exception {
        String site = "c" + UUID.randomUUID().toString().substring(0, 8);
        Clock clock = Clock.systemUTC();
        Simulator.Plan plan = Simulator.Plan.quiet(6, broker.uri(), site, 42, Duration.ofSeconds(1));
        MqttSession checking = MqttSession.builder().server(broker.uri()).clientId(site + "-check")
                .persistentSession(Duration.ofMinutes(10)).build(); // what the broker held survives its restart
        try (Simulator fleet = new Simulator(plan, clock);
                Chaos chaos = new Chaos(fleet.deviceIds(), 3, 42, Duration.ofSeconds(3), clock,
                        () -> broker.broker().restart())) {
            fleet.chaos(chaos);
            ChaosCheck check = new ChaosCheck(site, chaos.victims(), clock, checking);
            checking.connect().get(10, TimeUnit.SECONDS);
            check.registry().ready().get(10, TimeUnit.SECONDS);
            fleet.start().get(60, TimeUnit.SECONDS);
            chaos.start(fleet, event -> { });
            Thread.sleep(12_000); // the chaos runs, and the broker restarts once in the middle of it for sure
            chaos.restartBroker();
            Thread.sleep(18_000);

            List<String> broken = check.settle(fleet, chaos, Duration.ofSeconds(60), line -> { });

            assertThat(broken).isEmpty();
            assertThat(chaos.events()).extracting(Chaos.Event::kind).contains(Chaos.Kind.CRASH, Chaos.Kind.RESTART);
            assertThat(chaos.struck()).isNotEmpty();
            assertThat(chaos.brokerRestarts()).isNotEmpty();
            assertThat(check.distinctReceived()).isGreaterThan(6 * 4 * 20);
        } finally {
            checking.close();
        }
    }
}
