package dev.edgekit.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AgentConfigLoaderTest {
    private final AgentConfigLoader loader = new AgentConfigLoader();

    @Test
    void fillsEveryDefaultFromAMinimalFile() {
        AgentConfig config = loader.parse("site: lab1\nid: pi-01\nboard: simulated\nbroker: { urls: [tcp://127.0.0.1:1883] }\n", "agent.yaml");
        assertThat(config.broker().urls()).containsExactly("tcp://127.0.0.1:1883");
        assertThat(config.broker().keepAlive()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.broker().willDelay()).isZero();
        assertThat(config.heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.hardware().board().devices()).isEmpty();
        assertThat(config.hardware().interval()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void readsHardwareAndDurationsAsPeopleWriteThem() {
        AgentConfig config = loader.parse("""
                site: lab1
                id: pi-01
                board: simulated
                heartbeat: 1500ms
                broker:
                  urls: [tcp://10.0.0.5:1883, tcp://10.0.0.6:1883]
                  keepAlive: 2s
                hardware:
                  devices:
                    env: { type: bme280, interval: 250ms }
                """, "agent.yaml");
        assertThat(config.heartbeatInterval()).isEqualTo(Duration.ofMillis(1500));
        assertThat(config.broker().urls()).hasSize(2);
        assertThat(config.hardware().intervalOf("env")).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void everyErrorNamesTheFileAndTheEntry() {
        assertError("site: lab1\nboard: simulated\nbroker: { urls: [tcp://127.0.0.1:1883] }\nheartbeet: 5s\n", "agent.yaml: heartbeet: unknown key");
        assertError("board: simulated\n", "agent.yaml: site: required");
        assertError("site: Lab 1\nboard: simulated\n", "site: 'Lab 1' is not a valid id");
        assertError("site: lab1\n", "board: required");
        assertError("site: lab1\nboard: raspberry\n", "board: 'raspberry' is not 'simulated' or 'pi'");
        assertError("site: lab1\nboard: simulated\nbroker: { urls: [tcp://127.0.0.1:1883] }\nheartbeat: soon\n", "heartbeat: 'soon' is not a duration");
        assertError("site: lab1\nboard: simulated\nbroker: { urls: [tcp://127.0.0.1:1883] }\nheartbeat: 0s\n", "heartbeat must be a positive duration");
        assertError("site: lab1\nboard: simulated\nbroker:\n  urls: [mqtt.example]\n", "broker.urls: 'mqtt.example'");
        assertError("site: lab1\nboard: simulated\nbroker: { urls: [tcp://127.0.0.1:1883] }\nhardware:\n  devices:\n    t: { type: bme280, interval: -1s }\n",
                "hardware.devices.t.interval");
        assertError("site: lab1\nboard: simulated\nbroker: { urls: [tcp://127.0.0.1:1883] }\nhardware:\n  devices:\n    t: { type: bme281 }\n",
                "hardware.devices.t.type: unknown device type 'bme281'");
        assertError("site: lab1\nboard: simulated\nbroker: { urls: [tcp://127.0.0.1:1883] }\nsensors: []\n", "sensors: unknown key");
        assertError("site: [unclosed\n", "not valid YAML");
        assertError("- just\n- a list\n", "expected a mapping");
    }

    private void assertError(String yaml, String expected) {
        assertThatThrownBy(() -> loader.parse(yaml, "agent.yaml")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("agent.yaml: ").hasMessageContaining(expected);
    }

    @Test
    void theShippedExampleConfigLoadsWithEveryDeviceType() throws Exception {
        String text;
        try (var in = AgentConfigLoader.class.getResourceAsStream("/agent.example.yaml")) {
            text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        AgentConfig config = loader.parse(text, "agent.example.yaml");
        assertThat(config.board()).isEqualTo(AgentConfig.BoardKind.PI);
        assertThat(config.hardware().board().devices()).extracting(d -> d.kind())
                .containsExactly("bme280", "ds18b20", "button", "motion", "led", "relay", "pwm");
        assertThat(config.hardware().intervalOf("env")).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.hardware().intervalOf("probe")).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void durationsAcceptShortAndIsoForms() {
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Durations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Durations.parse("PT3S")).isEqualTo(Duration.ofSeconds(3));
        assertThat(Durations.format(Duration.ofMinutes(2))).isEqualTo("2m");
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    }

    @Test
    void readsTheOutboxSectionAndDefaultsItWhenAbsent() {
        assertThat(loader.parse("site: lab1\nid: pi-01\nboard: simulated\nbroker: { urls: [tcp://127.0.0.1:1883] }\n", "agent.yaml").outbox())
                .isEqualTo(AgentConfig.OutboxSettings.DEFAULTS);
        AgentConfig config = loader.parse("""
                site: lab1
                id: pi-01
                board: simulated
                broker: { urls: [tcp://127.0.0.1:1883] }
                outbox:
                  maxEntries: 5000
                  maxBytes: 8MiB
                  durability: normal
                  cacheBytes: 64KiB
                """, "agent.yaml");
        assertThat(config.outbox()).isEqualTo(new AgentConfig.OutboxSettings(5000, 8L << 20,
                dev.edgekit.agent.outbox.Durability.NORMAL, 64 * 1024));
    }

    @Test
    void refusesAnOutboxSectionWithATypoOrABadValue() {
        assertThatThrownBy(() -> loader.parse("site: lab1\nboard: simulated\nbroker: { urls: [tcp://127.0.0.1:1883] }\noutbox:\n  maxEntrys: 5\n", "a.yaml"))
                .hasMessageContaining("outbox.maxEntrys: unknown key");
        assertThatThrownBy(() -> loader.parse("site: lab1\nboard: simulated\nbroker: { urls: [tcp://127.0.0.1:1883] }\noutbox:\n  maxBytes: 8MB\n", "a.yaml"))
                .hasMessageContaining("outbox.maxBytes");
        assertThatThrownBy(() -> loader.parse("site: lab1\nboard: simulated\nbroker: { urls: [tcp://127.0.0.1:1883] }\noutbox:\n  durability: off\n", "a.yaml"))
                .hasMessageContaining("outbox.durability");
        assertThatThrownBy(() -> loader.parse("site: lab1\nboard: simulated\nbroker: { urls: [tcp://127.0.0.1:1883] }\noutbox:\n  maxEntries: 0\n", "a.yaml"))
                .hasMessageContaining("outbox.maxEntries");
        assertThatThrownBy(() -> loader.parse("site: lab1\nboard: simulated\nbroker: { urls: [tcp://127.0.0.1:1883] }\noutbox:\n  cacheBytes: 1KiB\n", "a.yaml"))
                .hasMessageContaining("outbox.cacheBytes: 1024 is out of range");
    }

    // broker.discover
    @Test
    void brokerDiscoverTrueNeedsNoUrlsAndKeepsConfiguredOnesAsFallback() {
        AgentConfig alone = loader.parse("site: lab1\nboard: simulated\nbroker:\n  discover: true\n", "agent.yaml");
        assertThat(alone.broker().urls()).isEmpty();
        assertThat(alone.broker().discover()).isEqualTo(new AgentConfig.Discover(null, java.time.Duration.ofSeconds(10)));

        AgentConfig both = loader.parse("site: lab1\nboard: simulated\nbroker:\n  discover: true\n"
                + "  discoverOn: 127.0.0.1\n  discoverWait: 2s\n  urls: [tcp://10.0.0.5:1883]\n", "agent.yaml");
        assertThat(both.broker().urls()).containsExactly("tcp://10.0.0.5:1883");
        assertThat(both.broker().discover().address()).isEqualTo("127.0.0.1");
        assertThat(both.broker().discover().firstWait()).isEqualTo(java.time.Duration.ofSeconds(2));

        AgentConfig off = loader.parse("site: lab1\nboard: simulated\nbroker:\n  discover: false\n", "agent.yaml");
        assertThat(off.broker().discover()).isNull();
        assertThat(off.broker().urls()).containsExactly("tcp://127.0.0.1:1883");
    }

    @Test
    void badDiscoverEntriesAreRefusedByName() {
        assertError("site: lab1\nboard: simulated\nbroker:\n  discover: yes please\n", "broker.discover");
        assertError("site: lab1\nboard: simulated\nbroker:\n  discoverOn: 127.0.0.1\n", "broker.discoverOn");
        assertError("site: lab1\nboard: simulated\nbroker:\n  discover: true\n  discoverOn: eth0\n",
                "broker.discoverOn: 'eth0'");
        assertError("site: lab1\nboard: simulated\nbroker:\n  discover: true\n  discoverWait: soon\n",
                "broker.discoverWait");
        assertError("site: lab1\nboard: simulated\nbroker:\n  discover: true\n  urls: []\n  discovr: 1\n",
                "broker.discovr");
    }
}
