package dev.edgekit.protocol.shadow;

import static dev.edgekit.protocol.shadow.ShadowArbiterTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShadowCodecTest {
    private final ShadowCodec codec = new ShadowCodec();

    @Test
    void everyDocumentSurvivesARoundTrip() throws Exception {
        Desired d = new Desired("pi-1", 7, "1700000000000.3", "ops", json("{\"fan\":40,\"cfg\":{\"on\":true}}"));
        Reported r = new Reported("pi-1", 7, "1700000000001.0", json("{\"fan\":40}"), Map.of("cfg.on", "unknown key"));
        assertThat(codec.decodeDesired("pi-1", codec.encode(d))).isEqualTo(d);
        assertThat(codec.decodeReported("pi-1", codec.encode(r))).isEqualTo(r);
        for (UpdateResult result : new UpdateResult[] {new UpdateResult.Accepted(3),
                new UpdateResult.VersionConflict(2, 3), new UpdateResult.Invalid("state: bad")}) {
            assertThat(codec.decodeResult(codec.encode(result))).isEqualTo(result);
        }
    }

    @Test
    void aDocumentForAnotherDeviceIsRefused() {
        Desired d = new Desired("pi-2", 1, "", "ops", json("{}"));
        assertThatThrownBy(() -> codec.decodeDesired("pi-1", codec.encode(d)))
                .isInstanceOf(ShadowException.class).hasMessageContaining("differs from topic device");
    }

    @Test
    void oversizedDeepOrMalformedPayloadsAreRefusedWithTheField() {
        byte[] big = ("{\"expectedVersion\":0,\"state\":{\"a\":\"" + "x".repeat(9000) + "\"}}").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> codec.decodeUpdate(big)).hasMessageContaining("at most 8192");
        byte[] deep = ("{\"expectedVersion\":0,\"state\":" + "{\"a\":".repeat(40) + "1" + "}".repeat(41))
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> codec.decodeUpdate(deep)).isInstanceOf(ShadowException.class);
        assertThatThrownBy(() -> codec.decodeUpdate("{\"expectedVersion\":1e300,\"state\":{}}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("expectedVersion");
        assertThatThrownBy(() -> codec.decodeUpdate("[]".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("JSON object");
        assertThatThrownBy(() -> codec.decodeUpdate("{\"expectedVersion\":0}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("state");
    }
}
