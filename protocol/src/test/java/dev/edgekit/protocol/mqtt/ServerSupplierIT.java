package dev.edgekit.protocol.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.edgekit.testkit.BrokerExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A broker list supplied per connect attempt: brokers learnt after the session was built are used (discovery). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServerSupplierIT {
    @RegisterExtension
    final BrokerExtension first = BrokerExtension.mosquitto();
    @RegisterExtension
    final BrokerExtension second = BrokerExtension.mosquitto();

    @Test
    void aSessionWithNoBrokerYetConnectsOnceOneIsSuppliedAndRoamsToOneSuppliedLater() throws Exception {
        List<String> known = new CopyOnWriteArrayList<>();
        try (MqttSession session = MqttSession.builder().servers(() -> List.copyOf(known)).clientId("supplied-1")
                .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(200)).build()) {
            var connected = session.connect();
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                    .untilAsserted(() -> assertThat(connected).isNotDone());

            known.add(first.uri());
            connected.get(10, TimeUnit.SECONDS);
            assertThat(session.connectedServer()).isEqualTo(first.uri());

            known.add(second.uri()); // learnt after the connect
            first.broker().kill();
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(session.connectedServer()).isEqualTo(second.uri()));
        }
    }

    @Test
    void aSupplierThatFailsOrGivesBadUrisCountsAsAFailedAttemptNotACrash() throws Exception {
        var calls = new java.util.concurrent.atomic.AtomicInteger();
        try (MqttSession session = MqttSession.builder().servers(() -> {
            if (calls.incrementAndGet() < 3) {
                throw new IllegalStateException("mDNS not ready");
            }
            return calls.get() < 5 ? List.of("http://nope:80") : List.of(first.uri());
        }).clientId("supplied-2").reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(100)).build()) {
            session.connect().get(10, TimeUnit.SECONDS);
            assertThat(session.connectedServer()).isEqualTo(first.uri());
            assertThat(calls.get()).isGreaterThanOrEqualTo(5);
        }
    }
}
