package dev.edgekit.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgekit.agent.config.AgentConfig;
import dev.edgekit.agent.outbox.CheckpointStore;
import dev.edgekit.agent.outbox.Outbox;
import dev.edgekit.agent.outbox.OutboxConfig;
import dev.edgekit.protocol.clock.HlcTimestamp;
import dev.edgekit.protocol.clock.Stamp;
import dev.edgekit.protocol.message.Codec;
import dev.edgekit.protocol.message.Telemetry;
import dev.edgekit.testkit.FakeClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeliveryTest {
    @TempDir
    Path dir;
    private final FakeClock clock = FakeClock.atEpochOf2026();

    private AgentConfig config() {
        return new AgentConfig("lab1", "dev-1", null, AgentConfig.BrokerConfig.of("tcp://127.0.0.1:1883"),
                Duration.ofSeconds(1), AgentConfig.BoardKind.SIMULATED, dev.edgekit.agent.config.HardwareConfig.none(), dir);
    }

    private Delivery open(long birthFloor) {
        return Delivery.open(config(), clock, clock, birthFloor);
    }

    @Test
    void aRestartedAgentNeverReusesALamportValueAnHlcTimestampOrABirthNumber() {
        Stamp last;
        long firstBirth;
        try (Delivery first = open(1)) {
            for (int i = 0; i < 1000; i++) {
                first.logicalClocks().send();
            }
            last = first.logicalClocks().send();
            firstBirth = first.firstBirthSeq();
        } // closing writes nothing more: the reservations made at open are what protects a crash
        clock.set(clock.instant().minusSeconds(30)); // a board without RTC may even start with its clock behind

        try (Delivery second = open(1)) {
            Stamp next = second.logicalClocks().send();
            assertThat(next.lamport()).isGreaterThan(last.lamport());
            assertThat(next.hlc()).isGreaterThan(last.hlc());
            assertThat(second.firstBirthSeq()).isGreaterThan(firstBirth);
        }
    }

    @Test
    void theBirthNumberIsAtLeastTheFloorAndTheReservationCoversIt() {
        long floor = clock.millis();
        try (Delivery delivery = open(floor)) {
            assertThat(delivery.firstBirthSeq()).isEqualTo(floor);
            assertThat(delivery.checkpoints().load(Delivery.BIRTH_SEQ).orElseThrow().number())
                    .isGreaterThanOrEqualTo(floor + Delivery.BIRTH_MARGIN);
            assertThat(delivery.checkpoints().load(CheckpointStore.HLC).orElseThrow().text())
                    .satisfies(text -> assertThat(HlcTimestamp.parse(text).wallMillis())
                            .isGreaterThanOrEqualTo(clock.millis()));
        }
    }

    @Test
    void theTelemetrySeqIsTheOutboxSeqAndTheHeartbeatReportsTheDepth() {
        Codec codec = new Codec();
        try (Delivery delivery = open(1)) {
            long seq = delivery.telemetry("edgekit/v1/lab1/dev-1/telemetry/t",
                    s -> codec.encode(new Telemetry("dev-1", s, "t", 21.5, "°C", clock.instant()))).join().seq();
            delivery.telemetry("edgekit/v1/lab1/dev-1/telemetry/t",
                    s -> codec.encode(new Telemetry("dev-1", s, "t", 21.6, "°C", clock.instant()))).join();
            assertThat(delivery.heartbeatStatus().depth()).isEqualTo(2);
            assertThat(delivery.heartbeatStatus().dropped()).isZero();
            assertThat(delivery.degraded()).isEmpty();
            assertThat(seq).isEqualTo(delivery.status().nextSeq() - 2);
        }
        try (Outbox outbox = Outbox.open(OutboxConfig.builder(dir.resolve("outbox.db")).clock(clock).build())) {
            var entries = outbox.peekOldest(10);
            assertThat(entries).hasSize(2);
            Telemetry decoded = (Telemetry) new Codec().decode(
                    dev.edgekit.protocol.topic.Topics.parse(entries.get(0).topic()).orElseThrow(), entries.get(0).payload());
            assertThat(decoded.seq()).isEqualTo(entries.get(0).seq());
        } catch (dev.edgekit.protocol.message.MalformedMessageException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void anOutboxFullOfTelemetryDropsTheOldestAndCountsItForTheHeartbeat() {
        Codec codec = new Codec();
        AgentConfig small = config().withOutbox(new AgentConfig.OutboxSettings(3, 1 << 20,
                dev.edgekit.agent.outbox.Durability.NORMAL));
        try (Delivery delivery = Delivery.open(small, clock, clock, 1)) {
            for (int i = 0; i < 5; i++) {
                delivery.telemetry("edgekit/v1/lab1/dev-1/telemetry/t",
                        s -> codec.encode(new Telemetry("dev-1", s, "t", 1, "°C", clock.instant()))).join();
            }
            assertThat(delivery.heartbeatStatus().depth()).isEqualTo(3);
            assertThat(delivery.heartbeatStatus().dropped()).isEqualTo(2);
        }
    }
}
