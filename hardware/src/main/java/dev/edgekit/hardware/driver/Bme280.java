package dev.edgekit.hardware.driver;

import com.pi4j.io.i2c.I2C;
import dev.edgekit.hardware.Channel;
import dev.edgekit.hardware.Quantity;
import dev.edgekit.hardware.Reading;
import dev.edgekit.hardware.Sensor;
import dev.edgekit.hardware.SensorException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bosch BME280 over I2C in forced mode (datasheet BST-BME280-DS002 §3.3.3): {@link #open} checks the chip id
 * (0x60), reads the calibration NVM and configures oversampling ×1 for all three channels with the IIR filter off
 * (the datasheet's "weather monitoring" setting, §3.5.1); each {@link #read()} starts one measurement, waits for the
 * status register's {@code measuring} bit to clear, burst-reads 0xF7..0xFE and compensates with the datasheet's
 * integer formulas. Not thread-safe by itself: the board serialises reads.
 */
public final class Bme280 implements Sensor {
    static final int REG_CHIP_ID = 0xD0;
    static final int REG_CTRL_HUM = 0xF2;
    static final int REG_STATUS = 0xF3;
    static final int REG_CTRL_MEAS = 0xF4;
    static final int REG_CONFIG = 0xF5;
    static final int REG_DATA = 0xF7;
    static final int DATA_LENGTH = 8;
    /** The BME280's chip id; BMP280 samples answer 0x56/0x57, production BMP280s 0x58. */
    public static final int CHIP_ID = 0x60;

    private static final int OSRS_X1 = 0b001;
    private static final int MODE_FORCED = 0b01;
    private static final int CTRL_MEAS_FORCED = OSRS_X1 << 5 | OSRS_X1 << 2 | MODE_FORCED;
    private static final int STATUS_MEASURING = 1 << 3;
    /** Datasheet §9.1: t_measure,max with ×1/×1/×1 is 9.3 ms; allow generous slack for a busy bus. */
    private static final Duration MEASUREMENT_TIMEOUT = Duration.ofMillis(50);
    private static final int SKIPPED_20BIT = 0x80000;
    private static final int SKIPPED_16BIT = 0x8000;
    private static final Logger log = LoggerFactory.getLogger(Bme280.class);

    private final String name;
    private final I2C i2c;
    private final Bme280Calibration calibration;
    private final List<Channel> channels;
    private final byte[] data = new byte[DATA_LENGTH];

    private Bme280(String name, I2C i2c, Bme280Calibration calibration) {
        this.name = name;
        this.i2c = i2c;
        this.calibration = calibration;
        this.channels = List.of(
                new Channel(name, Quantity.TEMPERATURE),
                new Channel(name, Quantity.HUMIDITY),
                new Channel(name, Quantity.PRESSURE));
    }

    /**
     * Checks the chip, reads its calibration and puts it to sleep with the measurement settings.
     *
     * @param name the config entry name, used in every message
     * @param i2c  an I2C device at the chip's address
     * @throws SensorException when nothing answers, the chip id is not 0x60, or the calibration reads as blank
     */
    public static Bme280 open(String name, I2C i2c) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(i2c, "i2c");
        String where = "at 0x" + Integer.toHexString(i2c.device()) + " on I2C bus " + i2c.bus();
        int chipId;
        try {
            chipId = readBlock(i2c, REG_CHIP_ID, 1)[0] & 0xFF;
        } catch (RuntimeException e) {
            throw new SensorException(name, "no BME280 answered " + where + " (" + e.getMessage()
                    + "): check the wiring, and the address (0x76 with SDO to GND, 0x77 with SDO to VDDIO)", e);
        }
        if (chipId != CHIP_ID) {
            String what = switch (chipId) {
                case 0x56, 0x57, 0x58 -> "a BMP280 (chip id 0x" + Integer.toHexString(chipId) + "), which has no humidity sensor";
                default -> "a chip with id 0x" + Integer.toHexString(chipId);
            };
            throw new SensorException(name, "expected a BME280 (chip id 0x60) " + where + " but found " + what);
        }
        Bme280Calibration calibration;
        try {
            calibration = Bme280Calibration.decode(
                    readBlock(i2c, Bme280Calibration.BLOCK1_START, Bme280Calibration.BLOCK1_LENGTH),
                    readBlock(i2c, Bme280Calibration.BLOCK2_START, Bme280Calibration.BLOCK2_LENGTH));
            if (calibration.digT1() == 0 || calibration.digP1() == 0) {
                throw new SensorException(name, "calibration NVM " + where + " reads as blank (dig_T1 or dig_P1 is 0)");
            }
            // ctrl_hum takes effect only after the next ctrl_meas write (datasheet §5.4.3); config only in sleep mode
            i2c.writeRegister(REG_CTRL_HUM, (byte) OSRS_X1);
            i2c.writeRegister(REG_CONFIG, (byte) 0);
            i2c.writeRegister(REG_CTRL_MEAS, (byte) (CTRL_MEAS_FORCED & ~0b11));
        } catch (SensorException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new SensorException(name, "I2C transfer " + where + " failed while reading calibration: " + e.getMessage(), e);
        }
        log.debug("{}: BME280 {} calibration {}", name, where, calibration);
        return new Bme280(name, i2c, calibration);
    }

    public Bme280Calibration calibration() {
        return calibration;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String kind() {
        return "bme280";
    }

    @Override
    public List<Channel> channels() {
        return channels;
    }

    /** Temperature (°C), humidity (%RH), pressure (hPa), in that order. */
    @Override
    public List<Reading> read() {
        try {
            i2c.writeRegister(REG_CTRL_MEAS, (byte) CTRL_MEAS_FORCED);
            awaitMeasurement();
            readInto(i2c, REG_DATA, data);
        } catch (SensorException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new SensorException(name, "I2C transfer at 0x" + Integer.toHexString(i2c.device()) + " on bus " + i2c.bus()
                    + " failed: " + e.getMessage(), e);
        }
        int adcP = (data[0] & 0xFF) << 12 | (data[1] & 0xFF) << 4 | (data[2] & 0xFF) >> 4;
        int adcT = (data[3] & 0xFF) << 12 | (data[4] & 0xFF) << 4 | (data[5] & 0xFF) >> 4;
        int adcH = (data[6] & 0xFF) << 8 | (data[7] & 0xFF);
        if (adcT == SKIPPED_20BIT || adcP == SKIPPED_20BIT || adcH == SKIPPED_16BIT) {
            throw new SensorException(name, "the chip returned its reset value (0x80000/0x8000): no measurement was taken");
        }
        Bme280Compensation.Measurement m = Bme280Compensation.compensate(calibration, adcT, adcP, adcH);
        return List.of(
                new Reading(channels.get(0), m.celsius()),
                new Reading(channels.get(1), m.relativeHumidity()),
                new Reading(channels.get(2), m.hectopascal()));
    }

    private void awaitMeasurement() {
        long deadline = System.nanoTime() + MEASUREMENT_TIMEOUT.toNanos();
        while ((readBlock(i2c, REG_STATUS, 1)[0] & STATUS_MEASURING) != 0) {
            if (System.nanoTime() - deadline > 0) {
                throw new SensorException(name, "measurement did not finish within " + MEASUREMENT_TIMEOUT.toMillis() + " ms");
            }
            LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
        }
    }

    private static byte[] readBlock(I2C i2c, int register, int length) {
        byte[] buffer = new byte[length];
        readInto(i2c, register, buffer);
        return buffer;
    }

    private static void readInto(I2C i2c, int register, byte[] buffer) {
        int n = i2c.readRegister(register, buffer, 0, buffer.length);
        if (n != buffer.length) {
            throw new com.pi4j.io.exception.IOReadException("short read at register 0x" + Integer.toHexString(register)
                    + ": " + n + " of " + buffer.length + " bytes");
        }
    }
}
