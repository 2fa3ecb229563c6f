package dev.edgekit.hardware.board;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgekit.hardware.ActuatorCommand;
import dev.edgekit.hardware.CommandRejectedException;
import dev.edgekit.hardware.DeviceHealth;
import dev.edgekit.hardware.DeviceStatus;
import dev.edgekit.hardware.spec.Bme280Spec;
import dev.edgekit.hardware.spec.BoardSpec;
import dev.edgekit.hardware.spec.DigitalInputSpec;
import dev.edgekit.hardware.spec.DigitalOutputSpec;
import dev.edgekit.hardware.spec.Ds18b20Spec;
import dev.edgekit.hardware.spec.Frequency;
import dev.edgekit.hardware.spec.PwmOutputSpec;
import dev.edgekit.testkit.ManualScheduler;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DegradedBoardTest {
    private final ManualScheduler scheduler = new ManualScheduler();

    private SimulatedBoard open(BoardSpec spec, SimulationSettings settings) {
        return Boards.openSimulated(spec, scheduler.clock(), scheduler, settings);
    }

    private static Map<String, String> unavailable(SimulatedBoard board) {
        return board.health().devices().stream()
                .filter(d -> d.status() instanceof DeviceStatus.Unavailable)
                .collect(Collectors.toMap(DeviceHealth::name, d -> ((DeviceStatus.Unavailable) d.status()).reason()));
    }

    @Test
    void badEntriesAreReportedByNameWhileTheOtherDevicesKeepWorking() {
        BoardSpec spec = BoardSpec.of(
                Bme280Spec.onBus1("env"),
                new Bme280Spec("attic", 3, 0x76),
                new Bme280Spec("gone", 1, 0x77),
                DigitalOutputSpec.led("led", 40),
                DigitalOutputSpec.relay("relay", 17),
                DigitalInputSpec.button("button", 17),
                new PwmOutputSpec("fan", 5, Frequency.ofKilohertz(25)),
                new Ds18b20Spec("probe", "28-000000000001"));

        try (SimulatedBoard board = open(spec, SimulationSettings.seeded(1).withConstantSignals().withAbsent("gone", "probe"))) {
            Map<String, String> failed = unavailable(board);

            assertThat(failed).containsOnlyKeys("attic", "gone", "led", "button", "fan", "probe");
            assertThat(failed.get("attic")).startsWith("bme280 entry 'attic': I2C bus 3 does not exist");
            assertThat(failed.get("gone")).startsWith("bme280 entry 'gone': no BME280 answered at 0x77 on I2C bus 1");
            assertThat(failed.get("led")).startsWith("led entry 'led': GPIO 40 does not exist");
            assertThat(failed.get("button")).isEqualTo("button entry 'button': GPIO 17 is already used by 'relay'");
            assertThat(failed.get("fan")).startsWith("pwm entry 'fan': GPIO 5 has no hardware PWM");
            assertThat(failed.get("probe")).startsWith("ds18b20 entry 'probe': no 1-Wire sensor 28-000000000001");
            assertThat(board.health().degraded()).isTrue();

            assertThat(board.sensor("env").orElseThrow().read()).hasSize(3);
            assertThat(board.command("relay", new ActuatorCommand.SetOn(true)).on()).isTrue();
            assertThat(board.sensors()).extracting(s -> s.name()).containsExactly("env");
        }
    }

    @Test
    void aBmp280WhereABme280IsConfiguredIsNamedInTheError() {
        try (SimulatedBoard board = open(BoardSpec.of(Bme280Spec.onBus1("env")),
                SimulationSettings.seeded(1).withChipId("env", 0x58))) {
            assertThat(unavailable(board).get("env")).isEqualTo(
                    "bme280 entry 'env': expected a BME280 (chip id 0x60) at 0x76 on I2C bus 1 but found a BMP280 (chip id 0x58),"
                            + " which has no humidity sensor");
        }
    }

    @Test
    void anUnknownChipIdIsAnError() {
        try (SimulatedBoard board = open(BoardSpec.of(Bme280Spec.onBus1("env")),
                SimulationSettings.seeded(1).withChipId("env", 0x00))) {
            assertThat(unavailable(board).get("env")).endsWith("but found a chip with id 0x0");
            assertThat(board.sensor("env")).isEmpty();
        }
    }

    @Test
    void commandingAnActuatorThatFailedToOpenSaysWhy() {
        try (SimulatedBoard board = open(BoardSpec.of(DigitalOutputSpec.led("led", 99)), SimulationSettings.seeded(1))) {
            assertThatThrownBy(() -> board.command("led", new ActuatorCommand.SetOn(true)))
                    .isInstanceOfSatisfying(CommandRejectedException.class,
                            e -> assertThat(e.reason()).isEqualTo(CommandRejectedException.Reason.UNAVAILABLE))
                    .hasMessageContaining("GPIO 99 does not exist");
        }
    }

    @Test
    void aHealthyBoardIsNotDegraded() {
        try (SimulatedBoard board = open(BoardSpec.of(Bme280Spec.onBus1("env"), DigitalInputSpec.button("b", 5)),
                SimulationSettings.seeded(1))) {
            assertThat(board.health().degraded()).isFalse();
            assertThat(board.health().devices()).extracting(DeviceHealth::name, DeviceHealth::kind)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("env", "bme280"), org.assertj.core.groups.Tuple.tuple("b", "button"));
        }
    }
}
