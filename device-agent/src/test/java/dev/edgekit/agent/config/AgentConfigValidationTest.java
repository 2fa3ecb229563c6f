package dev.edgekit.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The mistakes the README promises to name: each is one line, naming the file and the entry. */
class AgentConfigValidationTest {
    private static final String HEAD = "site: lab1\nid: pi-01\nboard: simulated\n";
    private static final String BROKER = "broker: { urls: [tcp://127.0.0.1:1883] }\n";
    private final AgentConfigLoader loader = new AgentConfigLoader();

    private String error(String yaml) {
        try {
            loader.parse(yaml, "agent.yaml");
        } catch (ConfigException e) {
            assertThat(e.getMessage()).hasLineCount(1);
            return e.getMessage();
        }
        throw new AssertionError("accepted: " + yaml);
    }

    @Test
    void aMissingBrokerSectionIsRefusedWithAnExample() {
        assertThat(error(HEAD)).isEqualTo("agent.yaml: broker: required (e.g. broker: { urls:"
                + " [tcp://192.168.1.10:1883] }, or broker: { discover: true })");
    }

    @ParameterizedTest(name = "heartbeat: {0}")
    @CsvSource(delimiter = '|', value = {
        "1ms  | agent.yaml: heartbeat: 1ms is out of range: between 100ms and 1h",
        "99ms | agent.yaml: heartbeat: 99ms is out of range: between 100ms and 1h",
        "2h   | agent.yaml: heartbeat: 2h is out of range: between 100ms and 1h",
        "0s   | agent.yaml: heartbeat must be a positive duration, not 0ms",
    })
    void aHeartbeatOutsideItsBoundsStatesTheBounds(String heartbeat, String message) {
        assertThat(error(HEAD + BROKER + "heartbeat: " + heartbeat + "\n")).isEqualTo(message);
    }

    @Test
    void heartbeatsAtTheBoundsAreAccepted() {
        assertThat(loader.parse(HEAD + BROKER + "heartbeat: 100ms\n", "a").heartbeatInterval())
                .isEqualTo(Duration.ofMillis(100));
        assertThat(loader.parse(HEAD + BROKER + "heartbeat: 1h\n", "a").heartbeatInterval())
                .isEqualTo(Duration.ofHours(1));
    }

    @ParameterizedTest(name = "name: {0}")
    @CsvSource(delimiter = '|', value = {
        "42          | agent.yaml: name: expected text, not a number (quote it: name: \"42\")",
        "true        | agent.yaml: name: expected text, not true/false (quote it: name: \"true\")",
        "[a, b]      | agent.yaml: name: expected text, not a list",
        "{ first: a } | agent.yaml: name: expected text, not a mapping",
    })
    void aNameThatIsNotTextIsRefused(String name, String message) {
        assertThat(error(HEAD + BROKER + "name: " + name + "\n")).isEqualTo(message);
    }

    @Test
    void aQuotedNameIsText() {
        assertThat(loader.parse(HEAD + BROKER + "name: \"42\"\n", "a").name()).isEqualTo("42");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "door: { type: button, pin: 99 } | agent.yaml: hardware.devices.door.pin: 99 is not a GPIO of the 40-pin header (BCM 0-27)",
        "fan: { type: pwm, pin: 28 }     | agent.yaml: hardware.devices.fan.pin: 28 is not a GPIO of the 40-pin header (BCM 0-27)",
    })
    void aPinOffTheHeaderIsRefused(String device, String message) {
        assertThat(error(HEAD + BROKER + "hardware:\n  devices:\n    " + device + "\n")).isEqualTo(message);
    }

    @Test
    void theSameGpioTwiceIsRefusedNamingBothEntries() {
        assertThat(error(HEAD + BROKER + """
                hardware:
                  devices:
                    door:   { type: button, pin: 17 }
                    status: { type: led, pin: 22 }
                    pump:   { type: relay, pin: 17 }
                """)).isEqualTo("agent.yaml: hardware.devices.pump.pin: GPIO 17 is already used by"
                + " hardware.devices.door");
    }

    @Test
    void theSameI2cAddressOnOneBusTwiceIsRefusedButNotOnTwoBuses() {
        assertThat(error(HEAD + BROKER + """
                hardware:
                  devices:
                    env:  { type: bme280, bus: 1, address: 0x76 }
                    env2: { type: bme280, bus: 1, address: 0x76 }
                """)).isEqualTo("agent.yaml: hardware.devices.env2.address: I2C address 0x76 on bus 1 is already used"
                + " by hardware.devices.env");
        assertThat(loader.parse(HEAD + BROKER + """
                hardware:
                  devices:
                    env:  { type: bme280, bus: 1, address: 0x76 }
                    env2: { type: bme280, bus: 3, address: 0x76 }
                    env3: { type: bme280, bus: 1, address: 0x77 }
                """, "a").hardware().board().devices()).hasSize(3);
    }
}
