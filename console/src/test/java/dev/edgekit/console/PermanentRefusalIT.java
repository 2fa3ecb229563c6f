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
import dev.edgekit.testkit.Closer;
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
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker that refuses a publish for good (an ACL, a packet above its {@code max_packet_size}) must not block the
 * outbox: the refused entry is dead-lettered and counted, every other entry is delivered, in order. (Two
 * top-level subclasses, one broker configuration each: failsafe skips nested classes.)
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
abstract class PermanentRefusalIT {
    static final String SITE = "lab1";
    static final String ID = "refused-1";
    static final String DENIED_CHANNEL = "secret";
    static final Path ACL_DIR;

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

    @RegisterExtension
    final Closer cleanup = new Closer();

    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);

    {
        cleanup.add(scheduler::shutdownNow); // registered first, so closed last
    }

    final List<Long> received = new CopyOnWriteArrayList<>();
    private final Codec codec = new Codec();

    final Path outboxFile() {
        return dir.resolve(ID).resolve("outbox.db");
    }

    final NewEntry telemetry(String channel, int padding) {
        String topic = "edgekit/v1/" + SITE + "/" + ID + "/telemetry/" + channel;
        return NewEntry.telemetry(topic, seq -> codec.encode(
                new Telemetry(ID, seq, channel, 21.5, padding == 0 ? "°C" : "x".repeat(padding), Instant.now())));
    }

    final void consume(String uri) throws Exception {
        MqttSession session = MqttSession.builder().server(uri).clientId("refusal-consumer").build();
        cleanup.add(session);
        TelemetryStream stream = TelemetryStream.subscribe(session, SITE, codec, 1 << 10, d -> received.add(d.seq()),
                (device, from, to) -> { });
        session.connect().get(10, TimeUnit.SECONDS);
        stream.ready().get(10, TimeUnit.SECONDS);
    }

    /** Drains the prepared outbox with an agent without sensors; returns it once the outbox is empty. */
    final Agent drain(String uri) {
        AgentConfig config = new AgentConfig(SITE, ID, null, new AgentConfig.BrokerConfig(List.of(uri),
                Duration.ofSeconds(5), Duration.ZERO, null, null), Duration.ofSeconds(1),
                AgentConfig.BoardKind.SIMULATED, HardwareConfig.none(), dir.resolve(ID));
        Agent agent = Agent.create(config,
                AgentEnvironment.of(Clock.systemUTC(), scheduler, RandomGenerator.of("L64X128MixRandom"), "test"));
        cleanup.add(agent);
        agent.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> agent.status().outbox().depth() == 0);
        return agent;
    }

    final List<Long> deadLetters() throws Exception {
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

}
