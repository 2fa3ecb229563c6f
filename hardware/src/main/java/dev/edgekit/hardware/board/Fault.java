package dev.edgekit.hardware.board;

/**
 * A fault a simulated chip can be made to show. The two sub-families say which chip takes which fault, so a handle
 * only accepts what its chip can suffer: an I2C NACK is a BME280 fault, a CRC error a 1-Wire one.
 */
public sealed interface Fault {
    /** Faults of the BME280 model. */
    sealed interface Bme280Fault extends Fault {
    }

    /** Faults of the DS18B20 model. */
    sealed interface Ds18b20Fault extends Fault {
    }

    /** The chip keeps reporting its last value: data registers / the w1_slave file stop changing. */
    record StuckValue() implements Bme280Fault, Ds18b20Fault {
    }

    /** The chip does not acknowledge its address: every I2C transfer fails. */
    record I2cNack() implements Bme280Fault {
    }

    /** The kernel's CRC check of the scratchpad fails ({@code crc=.. NO}). */
    record CrcError() implements Ds18b20Fault {
    }

    /** The scratchpad holds its power-on value, 85 °C: a conversion never ran. */
    record PowerOnReset() implements Ds18b20Fault {
    }

    /** The sensor drops off the bus: its w1 folder disappears. */
    record Unplugged() implements Ds18b20Fault {
    }
}
