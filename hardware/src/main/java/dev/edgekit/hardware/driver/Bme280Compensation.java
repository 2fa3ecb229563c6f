package dev.edgekit.hardware.driver;

/**
 * The BME280 datasheet's integer compensation formulas (BST-BME280-DS002 §4.2.3, rev. 1.1 of the code), transcribed
 * operation for operation: temperature in 32-bit, pressure in 64-bit, humidity in 32-bit arithmetic. Java's
 * {@code int}/{@code long} wrap and shift like the datasheet's {@code BME280_S32_t}/{@code BME280_S64_t} on every
 * platform Bosch targets, so results are bit-exact. {@code tFine} is the datasheet's global {@code t_fine}, passed
 * explicitly.
 */
public final class Bme280Compensation {
    private Bme280Compensation() {
    }

    /** The datasheet's {@code t_fine}: fine temperature carried into pressure and humidity. */
    public static int tFine(Bme280Calibration c, int adcT) {
        int var1 = (((adcT >> 3) - (c.digT1() << 1)) * c.digT2()) >> 11;
        int var2 = (((((adcT >> 4) - c.digT1()) * ((adcT >> 4) - c.digT1())) >> 12) * c.digT3()) >> 14;
        return var1 + var2;
    }

    /** Temperature in 0.01 °C ("5123" is 51.23 °C): {@code BME280_compensate_T_int32}. */
    public static int temperature(int tFine) {
        return (tFine * 5 + 128) >> 8;
    }

    /**
     * Pressure in Pa as unsigned Q24.8 ("24674867" is 24674867/256 = 96386.2 Pa): {@code BME280_compensate_P_int64}.
     * Returns 0 where the datasheet avoids a division by zero.
     */
    public static long pressure(Bme280Calibration c, int tFine, int adcP) {
        long var1 = (long) tFine - 128000;
        long var2 = var1 * var1 * c.digP6();
        var2 = var2 + ((var1 * c.digP5()) << 17);
        var2 = var2 + (((long) c.digP4()) << 35);
        var1 = ((var1 * var1 * c.digP3()) >> 8) + ((var1 * c.digP2()) << 12);
        var1 = ((((1L) << 47) + var1) * c.digP1()) >> 33;
        if (var1 == 0) {
            return 0;
        }
        long p = 1048576 - adcP;
        p = (((p << 31) - var2) * 3125) / var1;
        var1 = (((long) c.digP9()) * (p >> 13) * (p >> 13)) >> 25;
        var2 = (((long) c.digP8()) * p) >> 19;
        p = ((p + var1 + var2) >> 8) + (((long) c.digP7()) << 4);
        return p & 0xFFFF_FFFFL;
    }

    /** Relative humidity in %RH as unsigned Q22.10 ("47445" is 46.333 %RH): {@code bme280_compensate_H_int32}. */
    public static long humidity(Bme280Calibration c, int tFine, int adcH) {
        int v = tFine - 76800;
        v = (((((adcH << 14) - (c.digH4() << 20) - (c.digH5() * v)) + 16384) >> 15)
                * (((((((v * c.digH6()) >> 10) * (((v * c.digH3()) >> 11) + 32768)) >> 10) + 2097152)
                * c.digH2() + 8192) >> 14));
        v = v - (((((v >> 15) * (v >> 15)) >> 7) * c.digH1()) >> 4);
        v = v < 0 ? 0 : v;
        v = v > 419430400 ? 419430400 : v;
        return (v >> 12) & 0xFFFF_FFFFL;
    }

    /** All three at once, in physical units: °C, %RH, hPa. */
    public static Measurement compensate(Bme280Calibration c, int adcT, int adcP, int adcH) {
        int tFine = tFine(c, adcT);
        return new Measurement(
                temperature(tFine) / 100.0,
                humidity(c, tFine, adcH) / 1024.0,
                pressure(c, tFine, adcP) / 256.0 / 100.0);
    }

    /** A compensated BME280 measurement. */
    public record Measurement(double celsius, double relativeHumidity, double hectopascal) {
    }
}
