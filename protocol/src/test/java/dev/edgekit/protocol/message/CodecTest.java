package dev.edgekit.protocol.message;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgekit.protocol.topic.Topics;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CodecTest {
    private final Codec codec = new Codec();
    private final Instant t = Instant.parse("2026-11-25T20:00:00.123456Z");

    private Birth birth() {
        return new Birth("pi-01", "Greenhouse", "lab1", new Birth.Board("Raspberry Pi 4B", "1000abcd"),
                List.of(Capability.sensor("temperature", "°C"), Capability.command("led.set")), "0.1.0",
                new Birth.Network("127.0.0.1", "lo", "tcp://127.0.0.1:1883"), null, t, 3, List.of());
    }

    @Test
    void everyMessageRoundTripsThroughJson() throws Exception {
        List<Message> messages = List.of(birth(), Offline.will("pi-01", 3),
                new Heartbeat("pi-01", 7, 3, t, 42, new Heartbeat.ClockStatus(12.5, 80.0, 2, "ts-1", "ntp", -3.2),
                        new Heartbeat.OutboxStatus(4, 0), List.of()),
                new Telemetry("pi-01", 99, "temperature", 21.25, "°C", t),
                new Event("pi-01", 100, "button", Event.Severity.INFO, t, Map.of("state", "pressed")));
        for (Message message : messages) {
            var topic = switch (message) {
                case StateMessage s -> Topics.state("lab1", "pi-01");
                case Heartbeat h -> Topics.heartbeat("lab1", "pi-01");
                case Telemetry tm -> Topics.telemetry("lab1", "pi-01", tm.channel());
                case Event e -> Topics.event("lab1", "pi-01", e.name());
            };
            assertThat(codec.decode(topic, codec.encode(message))).isEqualTo(message);
        }
    }

    @Test
    void theBirthCarriesTheOutboxDroppedCounterOnlyWhenKnown() throws Exception {
        Birth old = birth();
        Birth withDropped = new Birth(old.id(), old.name(), old.site(), old.board(), old.capabilities(),
                old.software(), old.network(), old.location(), old.sessionStart(), old.birthSeq(), old.degraded(), 17L);
        var topic = Topics.state("lab1", "pi-01");

        assertThat(new String(codec.encode(withDropped), UTF_8)).contains("\"outboxDropped\":17");
        assertThat(codec.decode(topic, codec.encode(withDropped))).isEqualTo(withDropped);
        assertThat(((Birth) codec.decode(topic, codec.encode(withDropped))).outboxDropped()).isEqualTo(17L);
        // absent from a birth without it (older agents), and decoded as absent
        assertThat(new String(codec.encode(old), UTF_8)).doesNotContain("outboxDropped");
        assertThat(((Birth) codec.decode(topic, codec.encode(old))).outboxDropped()).isNull();
        assertThatThrownBy(() -> new Birth(old.id(), old.name(), old.site(), old.board(), old.capabilities(),
                old.software(), old.network(), old.location(), old.sessionStart(), old.birthSeq(), old.degraded(), -1L))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writesTheSchemaVersionAndReadableFields() {
        String json = new String(codec.encode(new Telemetry("pi-01", 5, "temperature", 21.5, "°C", t)), UTF_8);
        assertThat(json).startsWith("{\"v\":1,").contains("\"seq\":5", "\"value\":21.5", "\"unit\":\"°C\"",
                "\"time\":\"2026-11-25T20:00:00.123456Z\"");
        assertThat(new String(codec.encode(birth()), UTF_8)).contains("\"status\":\"online\"", "\"kind\":\"sensor\"");
        assertThat(new String(codec.encode(Offline.will("pi-01", 3)), UTF_8)).contains("\"status\":\"offline\"",
                "\"reason\":\"connection-lost\"");
    }

    @Test
    void ignoresUnknownFieldsForForwardCompatibility() throws Exception {
        byte[] newer = ("{\"v\":1,\"id\":\"pi-01\",\"seq\":1,\"channel\":\"t\",\"value\":1.0,\"unit\":\"C\","
                + "\"time\":\"2026-11-25T20:00:00Z\",\"quality\":\"good\",\"nested\":{\"a\":[1,2]}}").getBytes(UTF_8);
        assertThat(codec.decode(Topics.telemetry("lab1", "pi-01", "t"), newer)).isInstanceOf(Telemetry.class);
    }

    @Test
    void refusesEveryKindOfBadPayloadWithAReason() {
        var topic = Topics.telemetry("lab1", "pi-01", "t");
        assertMalformed(topic, "", "empty");
        assertMalformed(topic, "not json", "not JSON");
        assertMalformed(topic, "[1,2]", "not a JSON object");
        assertMalformed(topic, "{\"id\":\"pi-01\"}", "missing schema version");
        assertMalformed(topic, "{\"v\":2,\"id\":\"pi-01\"}", "unsupported schema version v=2");
        assertMalformed(topic, "{\"v\":\"1\",\"id\":\"pi-01\"}", "schema version 'v' must be a number, was \"1\"");
        assertMalformed(topic, "{\"v\":1,\"v\":2,\"id\":\"pi-01\"}", "Duplicate field 'v'");
        assertMalformed(topic, "{\"v\":1,\"id\":\"pi-01\",\"channel\":\"t\",\"value\":1,\"unit\":\"C\","
                + "\"time\":\"2026-11-25T20:00:00Z\"}", "seq");
        assertMalformed(topic, "{\"v\":1,\"id\":\"PI 01\",\"seq\":1,\"channel\":\"t\",\"value\":1,\"unit\":\"C\","
                + "\"time\":\"2026-11-25T20:00:00Z\"}", "not a valid id");
        assertMalformed(topic, "{\"v\":1,\"id\":\"pi-02\",\"seq\":1,\"channel\":\"t\",\"value\":1,\"unit\":\"C\","
                + "\"time\":\"2026-11-25T20:00:00Z\"}", "differs from topic device");
        assertMalformed(topic, "{\"v\":1,\"id\":\"pi-01\",\"seq\":1,\"channel\":\"u\",\"value\":1,\"unit\":\"C\","
                + "\"time\":\"2026-11-25T20:00:00Z\"}", "differs from topic");
        assertMalformed(topic, "{\"v\":1,\"id\":\"pi-01\",\"seq\":1,\"channel\":\"t\",\"value\":1,\"unit\":\"C\","
                + "\"time\":\"yesterday\"}", "Telemetry");
        assertMalformed(topic, "{".repeat(100), "");
    }

    @Test
    void refusesOversizePayloadsBeforeParsing() {
        Codec small = new Codec(100);
        assertThatThrownBy(() -> small.decode(Topics.heartbeat("lab1", "pi-01"), new byte[101]))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("oversize payload: 101 bytes");
    }

    private void assertMalformed(dev.edgekit.protocol.topic.DeviceTopic topic, String payload, String reason) {
        assertThatThrownBy(() -> codec.decode(topic, payload.getBytes(UTF_8)))
                .as(payload).isInstanceOf(MalformedMessageException.class).hasMessageContaining(reason);
    }
}
