package dev.edgekit.protocol.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopicsTest {
    @Test
    void buildsTheDocumentedTopicNames() {
        assertThat(Topics.state("lab1", "pi-01").topic()).isEqualTo("edgekit/v1/lab1/pi-01/state");
        assertThat(Topics.heartbeat("lab1", "pi-01").topic()).isEqualTo("edgekit/v1/lab1/pi-01/heartbeat");
        assertThat(Topics.telemetry("lab1", "pi-01", "temperature").topic())
                .isEqualTo("edgekit/v1/lab1/pi-01/telemetry/temperature");
        assertThat(Topics.command("lab1", "pi-01", "relay.set").topic()).isEqualTo("edgekit/v1/lab1/pi-01/cmd/relay.set");
        assertThat(Topics.time("lab1", "request")).isEqualTo("edgekit/v1/lab1/$time/request");
        assertThat(Topics.filter("+", TopicKind.TELEMETRY)).isEqualTo("edgekit/v1/+/+/telemetry/+");
    }

    @Test
    void parsesWhatItBuilds() {
        DeviceTopic topic = Topics.event("site-a", "dev-7", "button");
        assertThat(Topics.parse(topic.topic())).contains(topic);
    }

    @ParameterizedTest
    @ValueSource(strings = {"edgekit/v1/lab1/pi-01", "edgekit/v1/lab1/pi-01/state/extra", "edgekit/v1/lab1/Pi-01/state",
        "edgekit/v1/lab1/pi-01/telemetry", "edgekit/v1/lab1/pi-01/unknown", "edgekit/v2/lab1/pi-01/state",
        "other/v1/lab1/pi-01/state", "edgekit/v1/lab1/$time/request", "edgekit/v1/lab1/pi-01/telemetry/a b",
        "edgekit/v1//pi-01/state", ""})
    void refusesTopicsOutsideTheScheme(String topic) {
        assertThat(Topics.parse(topic)).isEmpty();
    }

    @Test
    void idsAreDnsLabelsInLowerCase() {
        assertThat(Ids.isValid("pi-01")).isTrue();
        assertThat(Ids.isValid("a".repeat(63))).isTrue();
        assertThat(Ids.isValid("a".repeat(64))).isFalse();
        assertThat(Ids.isValid("-pi")).isFalse();
        assertThat(Ids.isValid("Pi")).isFalse();
        assertThat(Ids.isValid("pi/01")).isFalse();
        assertThat(Ids.sanitize("10000000 ABCDEF12")).isEqualTo("10000000-abcdef12");
        assertThatThrownBy(() -> Ids.require("Bad Id", "device id")).hasMessageContaining("device id 'Bad Id'");
    }

    @Test
    void matchesMqttWildcardsAsTheSpecSays() {
        assertThat(Topics.matches("a/+/c", "a/b/c")).isTrue();
        assertThat(Topics.matches("a/#", "a")).isTrue();
        assertThat(Topics.matches("a/#", "a/b/c")).isTrue();
        assertThat(Topics.matches("a/+", "a/b/c")).isFalse();
        assertThat(Topics.matches("a/b", "a/b/c")).isFalse();
        assertThat(Topics.matches("#", "$SYS/broker")).isFalse();
        assertThat(Topics.matches("edgekit/v1/#", "edgekit/v1/lab/$time/reply/x")).isTrue();
    }
}
