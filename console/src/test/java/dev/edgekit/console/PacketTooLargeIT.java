package dev.edgekit.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.edgekit.agent.config.AgentConfig;
import dev.edgekit.agent.config.HardwareConfig;
import dev.edgekit.agent.outbox.NewEntry;
import dev.edgekit.agent.outbox.Outbox;
import dev.edgekit.agent.outbox.OutboxConfig;
import dev.edgekit.agent.outbox.OutboxException;
import dev.edgekit.agent.runtime.Agent;
import dev.edgekit.agent.runtime.AgentEnvironment;
import dev.edgekit.protocol.delivery.TelemetryStream;
import dev.edgekit.protocol.message.Codec;
import dev.edgekit.protocol.message.Telemetry;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.testkit.BrokerExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@link PermanentRefusalIT} with Mosquitto's {@code max_packet_size 1024}. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PacketTooLargeIT extends PermanentRefusalIT {
    @RegisterExtension
    final BrokerExtension broker = BrokerExtension.mosquitto("mosquitto/dev.conf",
            Map.of("max_packet_size", "1024"));

    @Test
    void anOversizeEntryIsRefusedAtAppendOrDeadLetteredAndTheGoodOnesAreDeliveredInOrder() throws Exception {
        List<Long> good = new ArrayList<>();
        // outbox.maxMessageBytes below the broker's max_packet_size: the oversize entry is refused at append
        // (never accepted, no sequence number used, counted), between good ones
        try (Outbox outbox = Outbox.open(OutboxConfig.builder(outboxFile()).maxMessageBytes(700).build())) {
            good.add(outbox.append(telemetry("t", 0)).seq());
            good.add(outbox.append(telemetry("t", 0)).seq());
            assertThatThrownBy(() -> outbox.append(telemetry("t", 2000)))
                    .isInstanceOf(OutboxException.class).hasMessageContaining("maxMessageBytes");
            good.add(outbox.append(telemetry("t", 0)).seq());
            good.add(outbox.append(telemetry("t", 0)).seq());
            assertThat(outbox.status().rejected()).isEqualTo(1);
        }
        consume(broker.uri());

        Agent agent = drain(broker.uri());
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= good.size());
        assertThat(received).containsExactlyElementsOf(good);
        assertThat(good).isEqualTo(java.util.stream.LongStream.range(good.getFirst(), good.getFirst() + 4)
                .boxed().toList()); // no gap: the refused entry never got a number
        assertThat(agent.status().outbox().rejected()).isEqualTo(1); // counted, persisted
        agent.stop(Duration.ofSeconds(3));
        assertThat(deadLetters()).isEmpty(); // never accepted, so nothing to dead-letter
    }
}
