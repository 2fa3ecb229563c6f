package dev.edgekit.protocol.message;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgekit.protocol.topic.Topics;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The heartbeat's {@code refused} block is additive: old heartbeats still decode, and it is bounded. */
class HeartbeatRefusedTest {
    private static final Instant T = Instant.parse("2026-12-03T10:00:00Z");
    private final Codec codec = new Codec();

    @Test
    void refusalCountersRoundTrip() throws Exception {
        Heartbeat sent = new Heartbeat("pi-01", 3, 1, T, 9, null, null, List.of(), Map.of("stamps", 2L, "busy", 5L));

        Message back = codec.decode(Topics.heartbeat("lab1", "pi-01"), codec.encode(sent));

        assertThat(back).isInstanceOfSatisfying(Heartbeat.class,
                h -> assertThat(h.refused()).containsExactly(Map.entry("busy", 5L), Map.entry("stamps", 2L)));
    }

    @Test
    void aHeartbeatOfAnOlderAgentWithoutTheBlockDecodesWithNoRefusals() throws Exception {
        byte[] old = "{\"v\":1,\"id\":\"pi-01\",\"seq\":3,\"birthSeq\":1,\"time\":\"2026-12-03T10:00:00Z\",\"uptimeSeconds\":9}"
                .getBytes(UTF_8);

        Message back = codec.decode(Topics.heartbeat("lab1", "pi-01"), old);

        assertThat(((Heartbeat) back).refused()).isEmpty();
    }

    @Test
    void tooManyCausesAreRefused() {
        Map<String, Long> many = new HashMap<>();
        for (int i = 0; i <= Heartbeat.MAX_REFUSED_CAUSES; i++) {
            many.put("cause" + i, 1L);
        }
        assertThatThrownBy(() -> new Heartbeat("pi-01", 3, 1, T, 9, null, null, List.of(), many))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
