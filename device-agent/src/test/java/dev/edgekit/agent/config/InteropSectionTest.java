package dev.edgekit.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InteropSectionTest {
    private static final String BASE = "site: lab1\nid: pi-01\nboard: simulated\n"
            + "broker: { urls: [tcp://127.0.0.1:1883] }\n";
    private final AgentConfigLoader loader = new AgentConfigLoader();

    @Test
    void absentMeansNoProjectionsAndNoShadow() {
        AgentConfig config = loader.parse(BASE, "a");
        assertThat(config.interop()).isEqualTo(AgentConfig.Interop.NONE);
        assertThat(config.shadow().enabled()).isFalse();
    }

    @Test
    void sparkplugTrueTakesTheSiteAsGroup() {
        AgentConfig config = loader.parse(BASE + "interop: { homeAssistant: true, sparkplug: true }\n"
                + "shadow: { enabled: true }\n", "a");
        assertThat(config.interop().homeAssistant()).isTrue();
        assertThat(config.interop().discoveryPrefix()).isEqualTo("homeassistant");
        assertThat(config.interop().sparkplug().group()).isEqualTo("lab1");
        assertThat(config.shadow().enabled()).isTrue();
        assertThat(config.withId("pi-02").interop()).isEqualTo(config.interop());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "interop: { homeAssistant: yes please } | a: interop.homeAssistant: expected true or false, not 'yes please'",
        "interop: { discoveryPrefix: 'ha/#' }   | a: interop.discoveryPrefix: 'ha/#' is not a topic prefix like homeassistant (letters, digits, '_', '-', '/')",
        "interop: { sparkplug: { group: 'a/b' } } | a: interop.sparkplug.group: 'a/b' is not a Sparkplug group id (1-64 of letters, digits, '_', '.', '-')",
        "interop: { sparkplug: { grup: x } }    | a: interop.sparkplug.grup: unknown key (known: [group])",
        "interop: { homeassistant: true }       | a: interop.homeassistant: unknown key (known: [discoveryPrefix, homeAssistant, sparkplug])",
        "shadow: { enabled: 1 }                 | a: shadow.enabled: expected true or false, not '1'",
    })
    void mistakesNameTheEntry(String yaml, String message) {
        assertThatThrownBy(() -> loader.parse(BASE + yaml + "\n", "a")).isInstanceOf(ConfigException.class)
                .hasMessage(message);
    }
}
