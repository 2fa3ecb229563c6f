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

/**
 * A broker that refuses a publish for good (an ACL, a packet above its {@code max_packet_size}) must not block the
 * outbox: the refused entry is dead-lettered and counted, every other entry is delivered, in order.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PermanentRefusalIT {
    private static final String SITE = "lab1";
    private static final String ID = "refused-1";
    private static final String DENIED_CHANNEL = "secret";
    private static final Path ACL_DIR;

    static {
        try {
            ACL_DIR = Files.createTempDirectory("edgekit-acl");
            // anonymous clients (allow_anonymous true stays): everything but one telemetry topic
            Files.writeString(ACL_DIR.resolve("acl"), """
                    topic deny edgekit/v1/%s/%s/telemetry/%s
                    topic readwrite #
                    """.formatted(SITE, ID, DENIED_CHANNEL));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @TempDir
    Path dir;

    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    private final List<Long> received = new CopyOnWriteArrayList<>();
    private final Codec codec = new Codec();

    @AfterEach
    void tearDown() {
        for (AutoCloseable c : cleanup.reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("cleanup: " + e);
            }
        }
        scheduler.shutdownNow();
    }

    private Path outboxFile() {
        return dir.resolve(ID).resolve("outbox.db");
    }

    private NewEntry telemetry(String channel, int padding) {
        String topic = "edgekit/v1/" + SITE + "/" + ID + "/telemetry/" + channel;
        return NewEntry.telemetry(topic, seq -> codec.encode(
                new Telemetry(ID, seq, channel, 21.5, padding == 0 ? "°C" : "x".repeat(padding), Instant.now())));
    }

    private void consume(String uri) throws Exception {
        MqttSession session = MqttSession.builder().server(uri).clientId("refusal-consumer").build();
        cleanup.add(session);
        TelemetryStream stream = TelemetryStream.subscribe(session, SITE, codec, 1 << 10, d -> received.add(d.seq()),
                (device, from, to) -> { });
        session.connect().get(10, TimeUnit.SECONDS);
        stream.ready().get(10, TimeUnit.SECONDS);
    }

    /** Drains the prepared outbox with an agent without sensors; returns it once the outbox is empty. */
    private Agent drain(String uri) {
        AgentConfig config = new AgentConfig(SITE, ID, null, new AgentConfig.BrokerConfig(List.of(uri),
                Duration.ofSeconds(5), Duration.ZERO, null, null), Duration.ofSeconds(1),
                AgentConfig.BoardKind.SIMULATED, HardwareConfig.none(), dir.resolve(ID));
        Agent agent = Agent.create(config, new AgentEnvironment(Clock.systemUTC(), scheduler, null,
                RandomGenerator.of("L64X128MixRandom"), "test"));
        cleanup.add(agent);
        agent.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> agent.status().outbox().depth() == 0);
        return agent;
    }

    private List<Long> deadLetters() throws Exception {
        List<Long> seqs = new ArrayList<>();
        try (var db = DriverManager.getConnection("jdbc:sqlite:" + outboxFile());
             ResultSet rs = db.createStatement().executeQuery("SELECT seq, reason_code, reason FROM dead_letter "
                     + "ORDER BY seq")) {
            while (rs.next()) {
                System.out.printf("dead letter %d: reason 0x%x %s%n", rs.getLong(1), rs.getInt(2), rs.getString(3));
                seqs.add(rs.getLong(1));
            }
        }
        return seqs;
    }

    @Nested
    class PacketTooLarge {
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

    @Nested
    class NotAuthorized {
        @RegisterExtension
        final BrokerExtension broker = BrokerExtension.mosquitto("mosquitto/dev.conf",
                Map.of("acl_file", ACL_DIR.resolve("acl").toString()));

        @Test
        void aPublishTheAclRefusesIsDeadLetteredAndTheRestIsDeliveredInOrder() throws Exception {
            List<Long> good = new ArrayList<>();
            long denied;
            try (Outbox outbox = Outbox.open(OutboxConfig.builder(outboxFile()).build())) {
                for (int i = 0; i < 5; i++) {
                    good.add(outbox.append(telemetry("t", 0)).seq());
                }
                denied = outbox.append(telemetry(DENIED_CHANNEL, 0)).seq();
                for (int i = 0; i < 5; i++) {
                    good.add(outbox.append(telemetry("t", 0)).seq());
                }
            }
            consume(broker.uri());

            Agent agent = drain(broker.uri());
            await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= good.size());
            assertThat(received).containsExactlyElementsOf(good);
            assertThat(agent.status().outbox().rejected()).isEqualTo(1);
            agent.stop(Duration.ofSeconds(3));
            assertThat(deadLetters()).containsExactly(denied);
        }
    }
}
