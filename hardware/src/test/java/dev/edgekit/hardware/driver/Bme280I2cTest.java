package dev.edgekit.hardware.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.pi4j.io.exception.IOReadException;
import com.pi4j.io.i2c.I2C;
import dev.edgekit.hardware.Reading;
import dev.edgekit.hardware.SensorException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

/** The driver's conversation with the chip, against a mocked Pi4J {@link I2C} (the bus is the boundary). */
class Bme280I2cTest {
    private static final Bme280Calibration CALIBRATION = Bme280Calibration.typical();
    /** A raw sample from the BMP280 datasheet's worked example (T = 519888, P = 415148) and a mid humidity. */
    private static final byte[] DATA = {0x65, 0x5A, (byte) 0xC0, 0x7E, (byte) 0xED, 0x00, 0x6E, 0x5A};

    private final I2C i2c = mock(I2C.class);
    private final Map<Integer, byte[]> registers = new HashMap<>();

    @BeforeEach
    void aBme280AnswersOnTheBus() {
        when(i2c.device()).thenReturn(0x76);
        when(i2c.bus()).thenReturn(1);
        registers.put(Bme280.REG_CHIP_ID, new byte[] {Bme280.CHIP_ID});
        registers.put(Bme280Calibration.BLOCK1_START, CALIBRATION.block1());
        registers.put(Bme280Calibration.BLOCK2_START, CALIBRATION.block2());
        registers.put(Bme280.REG_STATUS, new byte[] {0});
        registers.put(Bme280.REG_DATA, DATA);
        when(i2c.readRegister(anyInt(), any(byte[].class), anyInt(), anyInt())).thenAnswer(call -> {
            byte[] value = registers.get((Integer) call.getArgument(0));
            if (value == null) {
                throw new IOReadException("no register 0x" + Integer.toHexString(call.getArgument(0)));
            }
            byte[] buffer = call.getArgument(1);
            int length = Math.min(value.length, call.<Integer>getArgument(3));
            System.arraycopy(value, 0, buffer, call.<Integer>getArgument(2), length);
            return length;
        });
    }

    @Test
    void openReadsTheChipIdThenBothCalibrationBlocksThenConfiguresHumidityBeforeMeasurementInSleepMode() {
        Bme280 sensor = Bme280.open("air", i2c);

        assertThat(sensor.calibration()).isEqualTo(CALIBRATION);
        InOrder order = inOrder(i2c);
        order.verify(i2c).readRegister(eq(Bme280.REG_CHIP_ID), any(byte[].class), eq(0), eq(1));
        order.verify(i2c).readRegister(eq(Bme280Calibration.BLOCK1_START), any(byte[].class), eq(0),
                eq(Bme280Calibration.BLOCK1_LENGTH));
        order.verify(i2c).readRegister(eq(Bme280Calibration.BLOCK2_START), any(byte[].class), eq(0),
                eq(Bme280Calibration.BLOCK2_LENGTH));
        // ctrl_hum takes effect only with the next ctrl_meas write (datasheet §5.4.3): it must come first
        order.verify(i2c).writeRegister(Bme280.REG_CTRL_HUM, (byte) 0b001);
        order.verify(i2c).writeRegister(Bme280.REG_CONFIG, (byte) 0);
        order.verify(i2c).writeRegister(Bme280.REG_CTRL_MEAS, (byte) 0b001_001_00); // ×1, ×1, sleep
        order.verifyNoMoreInteractions();
    }

    @Test
    void aReadStartsAForcedMeasurementPollsStatusAndBurstReadsTheEightDataBytes() {
        Bme280 sensor = Bme280.open("air", i2c);

        List<Reading> readings = sensor.read();

        InOrder order = inOrder(i2c);
        order.verify(i2c).writeRegister(Bme280.REG_CTRL_MEAS, (byte) 0b001_001_01); // ×1, ×1, forced
        order.verify(i2c).readRegister(eq(Bme280.REG_STATUS), any(byte[].class), eq(0), eq(1));
        order.verify(i2c).readRegister(eq(Bme280.REG_DATA), any(byte[].class), eq(0), eq(Bme280.DATA_LENGTH));
        assertThat(readings).hasSize(3);
        assertThat(readings.get(0).value()).isCloseTo(25.08, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void aChipThatDoesNotAnswerIsReportedWithItsAddressAndBusAndNothingIsWritten() {
        registers.remove(Bme280.REG_CHIP_ID);

        assertThatThrownBy(() -> Bme280.open("air", i2c)).isInstanceOf(SensorException.class)
                .hasMessageContaining("no BME280 answered at 0x76 on I2C bus 1")
                .hasMessageContaining("check the wiring");
        verify(i2c, never()).writeRegister(anyInt(), any(byte.class));
    }

    @Test
    void aBmp280IsNamedAsSuchAndNotConfigured() {
        registers.put(Bme280.REG_CHIP_ID, new byte[] {0x58});

        assertThatThrownBy(() -> Bme280.open("air", i2c)).isInstanceOf(SensorException.class)
                .hasMessageContaining("a BMP280 (chip id 0x58)");
        verify(i2c, never()).writeRegister(anyInt(), any(byte.class));
    }

    @Test
    void aBlankCalibrationIsRefusedBeforeAnyWrite() {
        registers.put(Bme280Calibration.BLOCK1_START, new byte[Bme280Calibration.BLOCK1_LENGTH]);

        assertThatThrownBy(() -> Bme280.open("air", i2c)).isInstanceOf(SensorException.class)
                .hasMessageContaining("reads as blank");
        verify(i2c, never()).writeRegister(anyInt(), any(byte.class));
    }

    @Test
    void aShortDataReadFailsTheReadingWithTheRegisterAndTheByteCount() {
        Bme280 sensor = Bme280.open("air", i2c);
        registers.put(Bme280.REG_DATA, new byte[3]);

        assertThatThrownBy(sensor::read).isInstanceOf(SensorException.class)
                .hasMessageContaining("short read at register 0xf7: 3 of 8 bytes");
    }

    @Test
    void theChipsResetValueIsNotTakenForAMeasurement() {
        Bme280 sensor = Bme280.open("air", i2c);
        registers.put(Bme280.REG_DATA, new byte[] {(byte) 0x80, 0, 0, (byte) 0x80, 0, 0, (byte) 0x80, 0});

        assertThatThrownBy(sensor::read).isInstanceOf(SensorException.class)
                .hasMessageContaining("reset value");
    }

    @Test
    void aMeasurementThatNeverFinishesTimesOut() {
        Bme280 sensor = Bme280.open("air", i2c);
        registers.put(Bme280.REG_STATUS, new byte[] {1 << 3});

        assertThatThrownBy(sensor::read).isInstanceOf(SensorException.class)
                .hasMessageContaining("did not finish within 50 ms");
        verify(i2c, never()).readRegister(eq(Bme280.REG_DATA), any(byte[].class), anyInt(), anyInt());
    }
}
