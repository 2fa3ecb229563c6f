package dev.edgekit.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.edgekit.agent.runtime.Agent;
import dev.edgekit.protocol.message.Codec;
import dev.edgekit.protocol.message.CommandReply;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.protocol.mqtt.Outgoing;
import dev.edgekit.protocol.topic.Topics;
import dev.edgekit.testkit.BrokerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code restart} sent to a simulated device: a clean stop and its agent again from its state folder, in a newer
 * session; the simulator's totals stay totals across it (the status line once lost a restarted device's first life).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SimulatedRestartIT {
    @RegisterExtension
    final BrokerExtension broker = BrokerExtension.mosquitto();

    @Test
    void aRestartedDeviceComesBackInANewerSessionAndTheTotalsKeepItsFirstLife() throws Exception {
        String site = "r" + UUID.randomUUID().toString().substring(0, 8);
        Simulator.Plan plan = new Simulator.Plan(2, broker.uri(), site, 3, Duration.ofMillis(200),
                Duration.ofMillis(500), Duration.ofSeconds(1), 10, 0, Duration.ofSeconds(60), Duration.ofMillis(250),
                Shard.WHOLE);
        try (Simulator simulator = new Simulator(plan, Clock.systemUTC());
                MqttSession operator = MqttSession.builder().server(broker.uri()).clientId("op-" + site).build()) {
            simulator.start().get(30, TimeUnit.SECONDS);
            operator.connect().get(10, TimeUnit.SECONDS);
            Agent first = device(simulator, "sim-0001");
            await().atMost(Duration.ofSeconds(20)).until(() -> simulator.summary().telemetrySeen() > 40);
            long sentBefore = simulator.summary().telemetrySent();

            byte[] reply = operator.request(Outgoing.of(Topics.command(site, "sim-0001", "restart").topic(),
                            "{\"v\":1}".getBytes(StandardCharsets.UTF_8), 1),
                    Topics.ROOT + "/" + site + "/sim-0001/reply/op-" + site, Duration.ofSeconds(5))
                    .get(10, TimeUnit.SECONDS).payload();

            assertThat(new Codec().decode(CommandReply.class, reply)).isInstanceOf(CommandReply.Ok.class);
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                Agent now = device(simulator, "sim-0001");
                return now != null && now != first && now.isConnected();
            });
            assertThat(device(simulator, "sim-0001").status().birthSeq()).isGreaterThan(first.status().birthSeq());
            assertThat(first.isConnected()).isFalse();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                Simulator.Summary s = simulator.summary();
                assertThat(s.devices()).isEqualTo(2);
                assertThat(s.online()).isEqualTo(2);
                assertThat(s.telemetrySent()).isGreaterThan(sentBefore + 20);
                // what the agents say they delivered and what the observer saw: apart by the messages in flight only
                // (about a second's worth here), never by what the device sent before its restart (over 40)
                assertThat(s.telemetrySent()).isCloseTo(s.telemetrySeen(), org.assertj.core.data.Offset.offset(15L));
            });
        }
    }

    private static Agent device(Simulator simulator, String id) {
        return simulator.agents().stream().filter(a -> a.id().equals(id)).findFirst().orElse(null);
    }
}
