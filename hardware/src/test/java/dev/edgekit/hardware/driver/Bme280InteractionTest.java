package dev.edgekit.hardware.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.pi4j.io.exception.IOReadException;
import com.pi4j.io.i2c.I2C;
import dev.edgekit.hardware.SensorException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

/**
 * The BME280 driver's conversation with the bus, against a mocked Pi4J {@link I2C}: which registers it writes in
 * which order (datasheet BST-BME280-DS002 §5.4: ctrl_hum before ctrl_meas, config only in sleep mode), how it waits
 * for a forced measurement, and what it does when the bus misbehaves. The chip's arithmetic is covered elsewhere
 * (compensation tests and the register-map chip model); here only the interaction matters.
 */
class Bme280InteractionTest {
    private final I2C i2c = mock(I2C.class);
    /** Per register, the answers to successive reads (the last one repeats). */
    private final Map<Integer, Deque<byte[]>> answers = new HashMap<>();

    private void answer(int register, byte[]... reads) {
        answers.put(register, new ArrayDeque<>(Arrays.asList(reads)));
    }

    @BeforeEach
    void aHealthyChip() {
        when(i2c.device()).thenReturn(0x76);
        when(i2c.bus()).thenReturn(1);
        answer(Bme280.REG_CHIP_ID, new byte[] {(byte) Bme280.CHIP_ID});
        byte[] block1 = new byte[Bme280Calibration.BLOCK1_LENGTH];
        Arrays.fill(block1, (byte) 0x11);
        answer(Bme280Calibration.BLOCK1_START, block1);
        answer(Bme280Calibration.BLOCK2_START, new byte[Bme280Calibration.BLOCK2_LENGTH]);
        answer(Bme280.REG_STATUS, new byte[] {0x08}, new byte[] {0x08}, new byte[] {0x00}); // measuring twice, then done
        answer(Bme280.REG_DATA, new byte[] {0x50, 0x00, 0x00, (byte) 0x80, 0x10, 0x00, 0x66, 0x00});
        when(i2c.readRegister(anyInt(), any(byte[].class), anyInt(), anyInt())).thenAnswer(call -> {
            int register = call.getArgument(0);
            byte[] buffer = call.getArgument(1);
            int length = call.getArgument(3);
            Deque<byte[]> queue = answers.get(register);
            byte[] next = queue.size() > 1 ? queue.poll() : queue.peek();
            System.arraycopy(next, 0, buffer, call.getArgument(2), Math.min(length, next.length));
            return Math.min(length, next.length);
        });
    }

    @Test
    void openChecksTheChipReadsBothCalibrationBlocksAndConfiguresHumidityBeforeMeasurementInSleepMode() {
        Bme280.open("env", i2c);

        InOrder order = inOrder(i2c);
        order.verify(i2c).readRegister(eq(Bme280.REG_CHIP_ID), any(byte[].class), eq(0), eq(1));
        order.verify(i2c).readRegister(eq(Bme280Calibration.BLOCK1_START), any(byte[].class), eq(0),
                eq(Bme280Calibration.BLOCK1_LENGTH));
        order.verify(i2c).readRegister(eq(Bme280Calibration.BLOCK2_START), any(byte[].class), eq(0),
                eq(Bme280Calibration.BLOCK2_LENGTH));
        order.verify(i2c).writeRegister(Bme280.REG_CTRL_HUM, (byte) 0b001);
        order.verify(i2c).writeRegister(Bme280.REG_CONFIG, (byte) 0);
        order.verify(i2c).writeRegister(Bme280.REG_CTRL_MEAS, (byte) 0b001_001_00); // oversampling ×1, sleep mode
    }

    @Test
    void aReadTriggersAForcedMeasurementPollsUntilItIsDoneThenBurstReadsAllEightDataBytes() {
        Bme280 sensor = Bme280.open("env", i2c);

        assertThat(sensor.read()).hasSize(3);

        InOrder order = inOrder(i2c);
        order.verify(i2c).writeRegister(Bme280.REG_CTRL_MEAS, (byte) 0b001_001_01); // forced mode
        order.verify(i2c, org.mockito.Mockito.times(3)).readRegister(eq(Bme280.REG_STATUS), any(byte[].class),
                eq(0), eq(1));
        order.verify(i2c).readRegister(eq(Bme280.REG_DATA), any(byte[].class), eq(0), eq(Bme280.DATA_LENGTH));
    }

    @Test
    void aChipThatDoesNotAnswerIsASensorErrorNamingTheEntryTheAddressAndTheLikelyCause() {
        when(i2c.readRegister(eq(Bme280.REG_CHIP_ID), any(byte[].class), anyInt(), anyInt()))
                .thenThrow(new IOReadException("remote I/O error"));

        assertThatThrownBy(() -> Bme280.open("env", i2c)).isInstanceOf(SensorException.class)
                .hasMessageContaining("env").hasMessageContaining("at 0x76 on I2C bus 1")
                .hasMessageContaining("0x76 with SDO to GND");
        verify(i2c, never()).writeRegister(anyInt(), any(byte.class));
    }

    @Test
    void aBmp280IsRecognisedAndRefusedBeforeAnythingIsWritten() {
        answer(Bme280.REG_CHIP_ID, new byte[] {0x58});

        assertThatThrownBy(() -> Bme280.open("env", i2c)).isInstanceOf(SensorException.class)
                .hasMessageContaining("a BMP280 (chip id 0x58), which has no humidity sensor");
        verify(i2c, never()).writeRegister(anyInt(), any(byte.class));
    }

    @Test
    void aShortBurstReadIsASensorErrorNotAReadingMadeOfStaleBytes() {
        Bme280 sensor = Bme280.open("env", i2c);
        when(i2c.readRegister(eq(Bme280.REG_DATA), any(byte[].class), anyInt(), anyInt())).thenReturn(5);

        assertThatThrownBy(sensor::read).isInstanceOf(SensorException.class)
                .hasMessageContaining("short read at register 0xf7: 5 of 8 bytes");
    }

    @Test
    void theResetValueMeansNoMeasurementWasTakenAndIsRefused() {
        Bme280 sensor = Bme280.open("env", i2c);
        answer(Bme280.REG_DATA, new byte[] {(byte) 0x80, 0x00, 0x00, (byte) 0x80, 0x00, 0x00, (byte) 0x80, 0x00});

        assertThatThrownBy(sensor::read).isInstanceOf(SensorException.class).hasMessageContaining("reset value");
    }
}
