package dev.edgekit.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgekit.hardware.board.SimulationSettings;
import dev.edgekit.hardware.spec.ActiveLevel;
import dev.edgekit.hardware.spec.Bme280Spec;
import dev.edgekit.hardware.spec.DigitalInputSpec;
import dev.edgekit.hardware.spec.DigitalOutputSpec;
import dev.edgekit.hardware.spec.Ds18b20Spec;
import dev.edgekit.hardware.spec.Frequency;
import dev.edgekit.hardware.spec.InputKind;
import dev.edgekit.hardware.spec.OutputKind;
import dev.edgekit.hardware.spec.Pull;
import dev.edgekit.hardware.spec.PwmOutputSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HardwareSectionTest {
    private final AgentConfigLoader loader = new AgentConfigLoader();

    private HardwareConfig hardware(String section) {
        return loader.parse("site: lab1\nid: pi-01\nboard: simulated\nbroker: { urls: [tcp://127.0.0.1:1883] }\nhardware:\n" + section.indent(2), "agent.yaml")
                .hardware();
    }

    @Test
    void mapsEveryDeviceTypeOfTheReadmeOntoItsSpecInConfigOrder() {
        HardwareConfig config = hardware("""
                simulation:
                  seed: 42
                  absent: [probe]
                devices:
                  env:    { type: bme280, bus: 1, address: 0x77 }
                  probe:  { type: ds18b20, sensor-id: 28-0316a2795aff, w1-directory: /tmp/w1 }
                  door:   { type: button, pin: 17, pull: up, active: low, debounce: 20ms }
                  hall:   { type: motion, pin: 27, pull: down, active: high, debounce: 0ms }
                  status: { type: led, pin: 22 }
                  pump:   { type: relay, pin: 23, active: low }
                  fan:    { type: pwm, pin: 18, frequency: 25kHz }
                """);
        assertThat(config.board().devices()).containsExactly(
                new Bme280Spec("env", 1, 0x77),
                new Ds18b20Spec("probe", "28-0316a2795aff", Path.of("/tmp/w1")),
                new DigitalInputSpec("door", InputKind.BUTTON, 17, Pull.UP, ActiveLevel.LOW, Duration.ofMillis(20)),
                new DigitalInputSpec("hall", InputKind.MOTION, 27, Pull.DOWN, ActiveLevel.HIGH, Duration.ZERO),
                new DigitalOutputSpec("status", OutputKind.LED, 22, ActiveLevel.HIGH),
                new DigitalOutputSpec("pump", OutputKind.RELAY, 23, ActiveLevel.LOW),
                new PwmOutputSpec("fan", 18, Frequency.ofKilohertz(25)));
        SimulationSettings settings = config.simulation().settings(7);
        assertThat(settings.seed()).isEqualTo(42);
        assertThat(settings.absentDevices()).containsExactly("probe");
    }

    @Test
    void fillsTheDefaultsOfEachDeviceType() {
        HardwareConfig config = hardware("""
                devices:
                  env:    { type: bme280 }
                  probe:  { type: ds18b20, sensor-id: 28-0316a2795aff }
                  door:   { type: button, pin: 17 }
                  hall:   { type: motion, pin: 27 }
                  status: { type: led, pin: 22 }
                  fan:    { type: pwm, pin: 18 }
                """);
        assertThat(config.board().devices()).containsExactly(
                Bme280Spec.onBus1("env"),
                new Ds18b20Spec("probe", "28-0316a2795aff"),
                DigitalInputSpec.button("door", 17),
                DigitalInputSpec.motion("hall", 27),
                DigitalOutputSpec.led("status", 22),
                new PwmOutputSpec("fan", 18, Frequency.ofKilohertz(25)));
        assertThat(config.simulation().settings(7).seed()).as("no seed in the config: the caller's").isEqualTo(7);
    }

    @Test
    void samplesEverySecondUnlessTheSectionOrTheEntrySaysOtherwise() {
        HardwareConfig config = hardware("""
                interval: 5s
                devices:
                  env:   { type: bme280, interval: 250ms }
                  probe: { type: ds18b20, sensor-id: 28-0316a2795aff }
                """);
        assertThat(config.intervalOf("env")).isEqualTo(Duration.ofMillis(250));
        assertThat(config.intervalOf("probe")).isEqualTo(Duration.ofSeconds(5));
        assertThat(hardware("devices:\n  env: { type: bme280 }\n").intervalOf("env")).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void readsAddressesInHexOrDecimalAndFrequenciesWithOrWithoutUnits() {
        assertThat(HardwareSection.address(node("0x76"), "a", 0)).isEqualTo(0x76);
        assertThat(HardwareSection.address(node("\"0x77\""), "a", 0)).isEqualTo(0x77);
        assertThat(HardwareSection.address(node("118"), "a", 0)).isEqualTo(0x76);
        assertThat(HardwareSection.frequency(node("25kHz"), "f", null)).isEqualTo(Frequency.ofHertz(25_000));
        assertThat(HardwareSection.frequency(node("1.5 kHz"), "f", null)).isEqualTo(Frequency.ofHertz(1_500));
        assertThat(HardwareSection.frequency(node("50Hz"), "f", null)).isEqualTo(Frequency.ofHertz(50));
        assertThat(HardwareSection.frequency(node("800"), "f", null)).isEqualTo(Frequency.ofHertz(800));
        assertThat(HardwareSection.frequency(node("1MHz"), "f", null)).isEqualTo(Frequency.ofHertz(1_000_000));
    }

    @Test
    void readsABarePullOffThatYamlTurnedIntoFalse() {
        HardwareConfig config = hardware("devices:\n  door: { type: button, pin: 17, pull: off }\n");
        assertThat(((DigitalInputSpec) config.board().devices().get(0)).pull()).isEqualTo(Pull.OFF);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
            interval: 0s                                                      | hardware.interval: must be a positive duration
            intervall: 1s                                                     | hardware.intervall: unknown key
            devices: [env]                                                    | hardware.devices: expected a mapping
            devices: { Env: { type: bme280 } }                                | hardware.devices.Env: an entry name is
            devices: { env: bme280 }                                          | hardware.devices.env: expected a mapping
            devices: { env: { bus: 1 } }                                      | hardware.devices.env.type: required
            devices: { env: { type: bmp180 } }                                | hardware.devices.env.type: unknown device type 'bmp180'
            devices: { env: { type: bme280, adress: 0x76 } }                  | hardware.devices.env.adress: unknown key
            devices: { env: { type: bme280, address: 0x40 } }                 | hardware.devices.env.address: a BME280 answers at 0x76
            devices: { env: { type: bme280, address: here } }                 | hardware.devices.env.address: 'here' is not an I2C address
            devices: { env: { type: bme280, bus: one } }                      | hardware.devices.env.bus: expected a whole number
            devices: { env: { type: bme280, bus: -1 } }                       | hardware.devices.env: bme280 entry 'env': bus must be 0 or more
            devices: { env: { type: bme280, interval: soon } }                | hardware.devices.env.interval: 'soon' is not a duration
            devices: { env: { type: bme280, interval: 0ms } }                 | hardware.devices.env.interval: must be a positive duration
            devices: { probe: { type: ds18b20 } }                             | hardware.devices.probe.sensor-id: required
            devices: { probe: { type: ds18b20, sensor-id: 10-abc } }          | hardware.devices.probe.sensor-id: '10-abc' is not a DS18B20 id
            devices: { door: { type: button } }                               | hardware.devices.door.pin: required
            devices: { door: { type: button, pin: 1.5 } }                     | hardware.devices.door.pin: expected a whole number
            devices: { door: { type: button, pin: -3 } }                      | hardware.devices.door.pin: a BCM GPIO number is 0 or more
            devices: { door: { type: button, pin: 17, pull: sideways } }      | hardware.devices.door.pull: 'sideways' is not up, down or off
            devices: { door: { type: button, pin: 17, active: maybe } }       | hardware.devices.door.active: 'maybe' is not high or low
            devices: { door: { type: button, pin: 17, debounce: 11s } }       | hardware.devices.door.debounce: must be between 0 and 10s
            devices: { door: { type: button, pin: 17, debounce: later } }     | hardware.devices.door.debounce: 'later' is not a duration
            devices: { door: { type: button, pin: 17, interval: 1s } }        | hardware.devices.door.interval: unknown key
            devices: { status: { type: led, pin: 22, frequency: 1kHz } }      | hardware.devices.status.frequency: unknown key
            devices: { fan: { type: pwm, pin: 18, frequency: fast } }         | hardware.devices.fan.frequency: 'fast' is not a frequency
            devices: { fan: { type: pwm, pin: 18, frequency: 0.5Hz } }        | hardware.devices.fan.frequency: '0.5Hz' is not a whole number of hertz
            devices: { fan: { type: pwm, pin: 18, frequency: 1.0005kHz } }    | hardware.devices.fan.frequency: '1.0005kHz' is not a whole number
            simulation: { seed: lucky }                                       | hardware.simulation.seed: expected a whole number
            simulation: { absent: probe }                                     | hardware.simulation.absent: expected a list
            simulation: { absent: [probe] }                                   | hardware.simulation.absent: 'probe' is not a configured device
            simulation: { speed: 2 }                                          | hardware.simulation.speed: unknown key
            """)
    void everyMistakeNamesItsEntry(String section, String expected) {
        assertThatThrownBy(() -> hardware(section)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("agent.yaml: ").hasMessageContaining(expected);
    }

    @Test
    void aDeviceConfiguredTwiceIsAnErrorNotTheLastOneWinning() {
        assertThatThrownBy(() -> hardware("devices:\n  env: { type: bme280 }\n  env: { type: led, pin: 4 }\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("Duplicate field 'env'");
    }

    @Test
    void noHardwareSectionMeansNoDevices() {
        HardwareConfig config = loader.parse("site: lab1\nid: pi-01\nboard: pi\nbroker: { urls: [tcp://127.0.0.1:1883] }\n", "agent.yaml").hardware();
        assertThat(config.board().devices()).isEmpty();
        assertThat(config.simulation().absent()).isEqualTo(Set.of());
    }

    private static com.fasterxml.jackson.databind.JsonNode node(String yaml) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper(
                    new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readTree("x: " + yaml).get("x");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
