package dev.edgekit.hardware.board;

import com.pi4j.io.exception.IOException;
import dev.edgekit.hardware.driver.Bme280Calibration;
import dev.edgekit.hardware.driver.Bme280Compensation;
import dev.edgekit.hardware.signal.Signal;
import dev.edgekit.hardware.signal.Signals;
import java.time.InstantSource;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A BME280 as its registers see it (datasheet §5.3): a 256-byte register file with the chip id at 0xD0, the
 * calibration NVM at 0x88..0xA1 and 0xE1..0xE7, and the control registers. Writing a forced mode into ctrl_meas
 * (0xF4) takes one measurement at once: the signals are sampled at the clock's instant, encoded into raw ADC values by
 * inverting the datasheet's compensation with the chip's calibration (so the driver's read + compensate gives the
 * physical values back to within the formulas' resolution), and the chip drops back to sleep mode. A channel whose
 * oversampling is 0 reads as skipped (0x80000 / 0x8000), as on the chip. Thread-safe.
 */
final class Bme280ChipModel implements RegisterDevice {
    static final double MIN_CELSIUS = -40, MAX_CELSIUS = 85;
    static final double MIN_HPA = 300, MAX_HPA = 1100;

    private enum Mode { NACK, STUCK }

    /** Register writes kept (a forced-mode read writes one: an unbounded list grew by the million in a fleet). */
    static final int WRITES_KEPT = 64;

    private final int address;
    private final int bus;
    private final Bme280Calibration calibration;
    private final InstantSource clock;
    private final int[] registers = new int[256];
    /** The most recent writes, for tests: bounded, as a simulated chip lives as long as a fleet simulation runs. */
    private final java.util.ArrayDeque<RegisterWrite> writes = new java.util.ArrayDeque<>();
    private final Set<Mode> faults = EnumSet.noneOf(Mode.class);
    private Signal temperature;
    private Signal humidity;
    private Signal pressure;
    private boolean measuredOnce;

    Bme280ChipModel(int bus, int address, int chipId, Bme280Calibration calibration, InstantSource clock,
                    Signal temperature, Signal humidity, Signal pressure) {
        this.bus = bus;
        this.address = address;
        this.calibration = calibration;
        this.clock = clock;
        this.temperature = temperature;
        this.humidity = humidity;
        this.pressure = pressure;
        registers[0xD0] = chipId & 0xFF;
        load(Bme280Calibration.BLOCK1_START, calibration.block1());
        load(Bme280Calibration.BLOCK2_START, calibration.block2());
        resetControlAndData();
    }

    private void load(int start, byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            registers[start + i] = bytes[i] & 0xFF;
        }
    }

    private void resetControlAndData() {
        registers[0xF2] = 0;
        registers[0xF3] = 0;
        registers[0xF4] = 0;
        registers[0xF5] = 0;
        int[] reset = {0x80, 0x00, 0x00, 0x80, 0x00, 0x00, 0x80, 0x00};
        System.arraycopy(reset, 0, registers, 0xF7, reset.length);
        measuredOnce = false;
    }

    @Override
    public synchronized int read(int register) {
        nackIfFaulty();
        return registers[register & 0xFF];
    }

    @Override
    public synchronized void write(int register, int value) {
        nackIfFaulty();
        if (writes.size() == WRITES_KEPT) {
            writes.removeFirst();
        }
        writes.addLast(new RegisterWrite(register, value));
        switch (register) {
            case 0xE0 -> {
                if (value == 0xB6) {
                    resetControlAndData();
                }
            }
            case 0xF2 -> registers[0xF2] = value & 0x07;
            case 0xF5 -> registers[0xF5] = value & 0xFD;
            case 0xF4 -> {
                registers[0xF4] = value;
                int mode = value & 0b11;
                if (mode == 0b01 || mode == 0b10) {
                    measure(value);
                    registers[0xF4] = value & ~0b11; // forced mode returns to sleep when done
                }
            }
            default -> {
                // the other registers are read-only: the chip ignores writes to them
            }
        }
    }

    private void nackIfFaulty() {
        if (faults.contains(Mode.NACK)) {
            throw new IOException(String.format("I2C transfer to 0x%02x on bus %d failed: Remote I/O error (NACK)", address, bus));
        }
    }

    private void measure(int ctrlMeas) {
        if (faults.contains(Mode.STUCK) && measuredOnce) {
            return;
        }
        var now = clock.instant();
        double celsius = temperature.sample(now);
        double rh = humidity.sample(now);
        double hpa = pressure.sample(now);
        boolean tOn = (ctrlMeas >> 5 & 0b111) != 0;
        boolean pOn = (ctrlMeas >> 2 & 0b111) != 0;
        boolean hOn = (registers[0xF2] & 0b111) != 0;
        int adcT = rawTemperature(celsius);
        int tFine = Bme280Compensation.tFine(calibration, adcT);
        int adcP = pOn && tOn ? rawPressure(tFine, hpa) : 0x80000;
        int adcH = hOn && tOn ? rawHumidity(tFine, rh) : 0x8000;
        if (!tOn) {
            adcT = 0x80000;
        }
        registers[0xF7] = adcP >> 12 & 0xFF;
        registers[0xF8] = adcP >> 4 & 0xFF;
        registers[0xF9] = (adcP & 0x0F) << 4;
        registers[0xFA] = adcT >> 12 & 0xFF;
        registers[0xFB] = adcT >> 4 & 0xFF;
        registers[0xFC] = (adcT & 0x0F) << 4;
        registers[0xFD] = adcH >> 8 & 0xFF;
        registers[0xFE] = adcH & 0xFF;
        measuredOnce = true;
    }

    /** The 20-bit adc_T whose t_fine is closest to the temperature (t_fine = T · 5120). */
    int rawTemperature(double celsius) {
        double c = Math.max(MIN_CELSIUS, Math.min(MAX_CELSIUS, celsius));
        long target = Math.round(c * 5120);
        // t_fine grows with adc_T (dig_T2 > 0): find the first adc_T reaching the target
        int lo = 0, hi = (1 << 20) - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Bme280Compensation.tFine(calibration, mid) < target) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        if (lo > 0 && Math.abs(Bme280Compensation.tFine(calibration, lo - 1) - target)
                <= Math.abs(Bme280Compensation.tFine(calibration, lo) - target)) {
            return lo - 1;
        }
        return lo;
    }

    /** The 20-bit adc_P whose compensated pressure is closest to {@code hpa}; pressure falls as adc_P grows. */
    int rawPressure(int tFine, double hpa) {
        double target = Math.max(MIN_HPA, Math.min(MAX_HPA, hpa)) * 100 * 256;
        int lo = 0, hi = (1 << 20) - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Bme280Compensation.pressure(calibration, tFine, mid) > target) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        if (lo > 0 && Math.abs(Bme280Compensation.pressure(calibration, tFine, lo - 1) - target)
                <= Math.abs(Bme280Compensation.pressure(calibration, tFine, lo) - target)) {
            return lo - 1;
        }
        return lo;
    }

    /** The 16-bit adc_H whose compensated humidity is closest to {@code rh}; humidity grows with adc_H. */
    int rawHumidity(int tFine, double rh) {
        double target = Math.max(0, Math.min(100, rh)) * 1024;
        int lo = 0, hi = 0xFFFF;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Bme280Compensation.humidity(calibration, tFine, mid) < target) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        if (lo > 0 && Math.abs(Bme280Compensation.humidity(calibration, tFine, lo - 1) - target)
                <= Math.abs(Bme280Compensation.humidity(calibration, tFine, lo) - target)) {
            return lo - 1;
        }
        return lo;
    }

    synchronized void setTemperature(Signal signal) {
        this.temperature = signal;
    }

    synchronized void setHumidity(Signal signal) {
        this.humidity = signal;
    }

    synchronized void setPressure(Signal signal) {
        this.pressure = signal;
    }

    synchronized void inject(Fault.Bme280Fault fault) {
        switch (fault) {
            case Fault.I2cNack n -> faults.add(Mode.NACK);
            case Fault.StuckValue s -> faults.add(Mode.STUCK);
        }
    }

    synchronized void clearFaults() {
        faults.clear();
    }

    synchronized List<RegisterWrite> writes() {
        return List.copyOf(writes);
    }

    synchronized int register(int register) {
        return registers[register & 0xFF];
    }

    static Signal constant(double value) {
        return Signals.constant(value);
    }
}
