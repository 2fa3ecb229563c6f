package dev.edgekit.hardware.board;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.edgekit.hardware.DeviceStatus;
import dev.edgekit.hardware.HardwareEvent;
import dev.edgekit.hardware.Quantity;
import dev.edgekit.hardware.Reading;
import dev.edgekit.hardware.SensorException;
import dev.edgekit.hardware.Unit;
import dev.edgekit.hardware.spec.Bme280Spec;
import dev.edgekit.hardware.spec.BoardSpec;
import dev.edgekit.hardware.spec.Ds18b20Spec;
import dev.edgekit.testkit.ManualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SimulatedSensorsTest {
    private static final String PROBE_ID = "28-0316a2795aff";
    private final ManualScheduler scheduler = new ManualScheduler();
    private final SimulatedBoard board = Boards.openSimulated(
            BoardSpec.of(Bme280Spec.onBus1("env"), new Ds18b20Spec("probe", PROBE_ID)),
            scheduler.clock(), scheduler, SimulationSettings.seeded(42).withConstantSignals());
    private final List<HardwareEvent> events = new ArrayList<>();

    {
        board.addListener(events::add);
    }

    @AfterEach
    void close() {
        board.close();
    }

    private List<Reading> readEnv() {
        return board.sensor("env").orElseThrow().read();
    }

    @Test
    void bme280ReadsBackWhatTheSimulatedChipWasSetToWithUnitsAndChannelNames() {
        Bme280Handle env = board.bme280("env");
        env.setTemperature(23.4);
        env.setHumidity(56.7);
        env.setPressure(998.76);

        List<Reading> readings = readEnv();

        assertThat(readings).extracting(Reading::channelName).containsExactly("env-temperature", "env-humidity", "env-pressure");
        assertThat(readings).extracting(Reading::unit).containsExactly(Unit.CELSIUS, Unit.PERCENT_RELATIVE_HUMIDITY, Unit.HECTOPASCAL);
        assertThat(readings.get(0).value()).isCloseTo(23.4, within(0.01));
        assertThat(readings.get(1).value()).isCloseTo(56.7, within(0.01));
        assertThat(readings.get(2).value()).isCloseTo(998.76, within(0.01));
    }

    @Test
    void bme280RoundTripsRandomValuesAcrossItsRangeToTheFormulasResolution() {
        Bme280Handle env = board.bme280("env");
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 300; i++) {
            double t = -40 + 125 * random.nextDouble();
            double h = 100 * random.nextDouble();
            double p = 300 + 800 * random.nextDouble();
            env.setTemperature(t);
            env.setHumidity(h);
            env.setPressure(p);

            List<Reading> r = readEnv();

            assertThat(r.get(0).value()).as("temperature for %s", t).isCloseTo(t, within(0.01));
            assertThat(r.get(1).value()).as("humidity for %s at %s °C", h, t).isCloseTo(h, within(0.01));
            assertThat(r.get(2).value()).as("pressure for %s at %s °C", p, t).isCloseTo(p, within(0.01));
        }
    }

    @Test
    void bme280DriverUsesForcedModeWithOversamplingX1() {
        readEnv();

        assertThat(board.bme280("env").writes()).contains(
                new RegisterWrite(0xF2, 0x01), new RegisterWrite(0xF5, 0x00), new RegisterWrite(0xF4, 0x25));
    }

    @Test
    void anI2cNackFailsTheReadRaisesOneFaultEventAndMarksTheSensorFailing() {
        board.bme280("env").injectFault(new Fault.I2cNack());

        assertThatThrownBy(this::readEnv).isInstanceOf(SensorException.class)
                .hasMessageStartingWith("env: I2C transfer at 0x76 on bus 1 failed").hasMessageContaining("NACK");
        assertThatThrownBy(this::readEnv).isInstanceOf(SensorException.class);

        assertThat(events).singleElement().isInstanceOfSatisfying(HardwareEvent.SensorFault.class,
                e -> assertThat(e.device()).isEqualTo("env"));
        assertThat(board.health().degraded()).isTrue();
        assertThat(board.health().problems()).singleElement()
                .satisfies(d -> assertThat(d.status()).isInstanceOf(DeviceStatus.Failing.class));
    }

    @Test
    void aSensorThatReadsAgainAfterAFaultRaisesRecoveredAndIsHealthyAgain() {
        board.bme280("env").injectFault(new Fault.I2cNack());
        assertThatThrownBy(this::readEnv).isInstanceOf(SensorException.class);
        scheduler.clock().advance(Duration.ofSeconds(5));
        board.bme280("env").clearFaults();

        readEnv();

        assertThat(events).hasSize(2).last().isEqualTo(new HardwareEvent.SensorRecovered("env", scheduler.clock().instant()));
        assertThat(board.health().degraded()).isFalse();
    }

    @Test
    void aStuckBme280KeepsReportingItsLastValue() {
        Bme280Handle env = board.bme280("env");
        env.setTemperature(20.0);
        readEnv();
        env.injectFault(new Fault.StuckValue());
        env.setTemperature(30.0);

        assertThat(readEnv().getFirst().value()).isCloseTo(20.0, within(0.01));
    }

    @Test
    void ds18b20ReadsTheSimulatedTemperatureAtTheSensors12BitResolution() {
        board.ds18b20("probe").setTemperature(23.13);

        Reading reading = board.sensor("probe").orElseThrow().read().getFirst();

        assertThat(reading.channel().quantity()).isEqualTo(Quantity.TEMPERATURE);
        assertThat(reading.value()).isEqualTo(23.125); // 1/16 °C steps
    }

    @Test
    void ds18b20CrcErrorIsRejectedAndReported() {
        board.ds18b20("probe").injectFault(new Fault.CrcError());

        assertThatThrownBy(() -> board.sensor("probe").orElseThrow().read())
                .hasMessage("probe: CRC check failed (crc=" + crcOf(board.ds18b20("probe")) + " NO): noise on the 1-Wire bus");
        assertThat(events).singleElement().isInstanceOf(HardwareEvent.SensorFault.class);
    }

    @Test
    void ds18b20PowerOnValueIsRejected() {
        board.ds18b20("probe").injectFault(new Fault.PowerOnReset());

        assertThatThrownBy(() -> board.sensor("probe").orElseThrow().read()).hasMessageContaining("85 °C, the power-on value");
    }

    @Test
    void anUnpluggedDs18b20IsAMissingFileError() {
        board.ds18b20("probe").injectFault(new Fault.Unplugged());

        assertThatThrownBy(() -> board.sensor("probe").orElseThrow().read())
                .hasMessageContaining("w1_slave does not exist");
    }

    @Test
    void sameSeedAndClockGiveTheSameRealisticReadings() {
        BoardSpec spec = BoardSpec.of(Bme280Spec.onBus1("env"));
        ManualScheduler s1 = new ManualScheduler();
        ManualScheduler s2 = new ManualScheduler();
        try (SimulatedBoard a = Boards.openSimulated(spec, s1.clock(), s1, SimulationSettings.seeded(9));
             SimulatedBoard b = Boards.openSimulated(spec, s2.clock(), s2, SimulationSettings.seeded(9))) {
            for (int i = 0; i < 10; i++) {
                assertThat(a.sensor("env").orElseThrow().read()).isEqualTo(b.sensor("env").orElseThrow().read());
                s1.advance(Duration.ofMinutes(7));
                s2.advance(Duration.ofMinutes(7));
            }
        }
    }

    private static String crcOf(Ds18b20Handle handle) {
        try {
            String line = java.nio.file.Files.readAllLines(handle.w1SlaveFile()).getFirst();
            return line.substring(line.indexOf("crc=") + 4, line.indexOf("crc=") + 6);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
