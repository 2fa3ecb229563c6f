package dev.edgekit.ubiquitous.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.testkit.BrokerExtension;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * mDNS on 127.0.0.1 (multicast is looped back on this machine's lo: checked before writing this test). Each test
 * tags its services with a random {@code fleet} so that other runs on the same host cannot interfere.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DiscoveryIT {
    @RegisterExtension
    final BrokerExtension broker = BrokerExtension.mosquitto();

    @Test
    void aBrokerAndATimeServerAdvertisedOnTheLanAreFoundAndTheBrokerIsUsable() throws Exception {
        String fleet = UUID.randomUUID().toString().substring(0, 8);
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (Discovery advertiser = Discovery.on(loopback, "adv-" + fleet);
                Discovery finder = Discovery.on(loopback, "find-" + fleet)) {
            advertiser.advertise(ServiceKind.MQTT, "edgekit-broker-" + fleet, broker.broker().port(),
                    Map.of("site", "lab1", "fleet", fleet));
            advertiser.advertise(ServiceKind.TIME, "edgekit-time-" + fleet, 12345, Map.of("site", "lab1",
                    "fleet", fleet, "stratum", "1"));

            List<Found> brokers = finder.browse(ServiceKind.MQTT, Duration.ofSeconds(20),
                    f -> fleet.equals(f.properties().get("fleet")));
            List<Found> timeServers = finder.browse(ServiceKind.TIME, Duration.ofSeconds(20),
                    f -> fleet.equals(f.properties().get("fleet")));

            assertThat(BrokerChoice.order(brokers, "lab1")).containsExactly(broker.uri());
            assertThat(timeServers).singleElement().satisfies(t -> {
                assertThat(t.port()).isEqualTo(12345);
                assertThat(t.properties()).containsEntry("stratum", "1");
            });
            try (MqttSession session = MqttSession.builder().servers(BrokerChoice.order(brokers, "lab1"))
                    .clientId("found-" + fleet).build()) {
                session.connect().get(10, TimeUnit.SECONDS);
                assertThat(session.connectedServer()).isEqualTo(broker.uri());
            }
        }
    }
}
