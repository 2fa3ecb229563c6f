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
    void buildsOneDevicesFiltersEachMatchingWhatItMeansAndNothingElse() {
        assertThat(Topics.device("lab1", "pi-01")).isEqualTo("edgekit/v1/lab1/pi-01");
        assertThat(Topics.deviceTree("lab1", "pi-01")).isEqualTo("edgekit/v1/lab1/pi-01/#");
        assertThat(Topics.filter("lab1", "pi-01", TopicKind.COMMAND)).isEqualTo("edgekit/v1/lab1/pi-01/cmd/+");
        assertThat(Topics.filter("lab1", "pi-01", TopicKind.STATE)).isEqualTo("edgekit/v1/lab1/pi-01/state");
        assertThat(Topics.outputSetFilter("lab1", "pi-01")).isEqualTo("edgekit/v1/lab1/pi-01/output/+/set");

        String command = Topics.command("lab1", "pi-01", "set").topic();
        String set = Topics.outputSet("lab1", "pi-01", "led");
        String otherDevice = Topics.command("lab1", "pi-02", "set").topic();
        assertThat(Topics.matches(Topics.filter("lab1", "pi-01", TopicKind.COMMAND), command)).isTrue();
        assertThat(Topics.matches(Topics.filter("lab1", "pi-01", TopicKind.COMMAND), otherDevice)).isFalse();
        assertThat(Topics.matches(Topics.outputSetFilter("lab1", "pi-01"), set)).isTrue();
        assertThat(Topics.matches(Topics.outputSetFilter("lab1", "pi-01"), Topics.output("lab1", "pi-01", "led")
                .topic())).isFalse();
        assertThat(Topics.matches(Topics.deviceTree("lab1", "pi-01"), set)).isTrue();
        assertThat(Topics.matches(Topics.deviceTree("lab1", "pi-01"), otherDevice)).isFalse();
    }

    @Test
    void aTimeFilterCoversOneSiteOrEverySite() {
        String announce = Topics.time("lab1", "srv-1/announce");
        assertThat(Topics.timeFilter("+", "+/announce")).isEqualTo("edgekit/v1/+/$time/+/announce");
        assertThat(Topics.matches(Topics.timeFilter("+", "+/announce"), announce)).isTrue();
        assertThat(Topics.matches(Topics.timeFilter("lab1", "+/announce"), announce)).isTrue();
        assertThat(Topics.matches(Topics.timeFilter("lab2", "+/announce"), announce)).isFalse();
        assertThatThrownBy(() -> Topics.timeFilter("#", "+/announce")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("site");
    }

    @ParameterizedTest
    @ValueSource(strings = {"+", "#", "Pi-01", "a/b", ""})
    void aDeviceLevelFilterRefusesAWildcardOrInvalidId(String device) {
        assertThatThrownBy(() -> Topics.device("lab1", device)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("device");
        assertThatThrownBy(() -> Topics.filter(device, "pi-01", TopicKind.COMMAND))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("site");
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
        assertThat(Topics.matches("a/+/#", "a/b")).isTrue();
        assertThat(Topics.matches("a/+", "a/")).isTrue(); // an empty level is a level
        assertThat(Topics.matches("a/+/c", "a/b")).isFalse();
        assertThat(Topics.matches("a/b", "a/bc")).isFalse();
        assertThat(Topics.matches("a/bc", "a/b")).isFalse();
        assertThat(Topics.matches("+/+", "/x")).isTrue();
        assertThat(Topics.matches("+", "$SYS")).isFalse();
        assertThat(Topics.matches("$SYS/#", "$SYS")).isTrue();
        assertThat(Topics.matches("#", "")).isTrue();
    }

    @Test
    void namesAreCheckedAsTheRuleSays() {
        java.util.regex.Pattern rule = java.util.regex.Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}");
        for (String name : new String[] {"env-temperature", "a", "_x", "A.b-c_9", "x".repeat(64), "x".repeat(65), "",
                "-a", ".a", "a/b", "a b", "é", "a+", "#", "a\u0000"}) {
            assertThat(Topics.isValidName(name)).as(name).isEqualTo(rule.matcher(name).matches());
        }
        assertThat(Topics.isValidName(null)).isFalse();
    }

    @Test
    void matchingAgreesWithSplittingTheLevelsOnEveryShortFilterAndTopic() {
        String[] levels = {"", "a", "b", "+", "#", "$s"};
        java.util.List<String> names = new java.util.ArrayList<>();
        for (String x : levels) {
            names.add(x);
            for (String y : levels) {
                names.add(x + "/" + y);
                for (String z : levels) {
                    names.add(x + "/" + y + "/" + z);
                }
            }
        }
        for (String filter : names) {
            for (String topic : names) {
                if (topic.contains("+") || topic.contains("#")) {
                    continue;
                }
                assertThat(Topics.matches(filter, topic)).as(filter + " ~ " + topic)
                        .isEqualTo(bySplitting(filter, topic));
            }
        }
    }

    /** The straightforward reading of MQTT 5 §4.7, as this matcher once was. */
    private static boolean bySplitting(String filter, String topic) {
        if (topic.startsWith("$") && (filter.startsWith("+") || filter.startsWith("#"))) {
            return false;
        }
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true;
            }
            if (i >= t.length || !(f[i].equals("+") || f[i].equals(t[i]))) {
                return false;
            }
        }
        return f.length == t.length;
    }
}
