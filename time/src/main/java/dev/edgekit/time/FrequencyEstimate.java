package dev.edgekit.time;

/**
 * The device oscillator's estimated frequency error.
 *
 * @param driftPpm     how fast the device clock runs, relative to true time (+200 = 200 µs/s fast)
 * @param tolerancePpm uncertainty of {@code driftPpm}; the error bound grows at this rate without samples
 */
public record FrequencyEstimate(double driftPpm, double tolerancePpm) {
    public FrequencyEstimate {
        if (!Double.isFinite(driftPpm) || !Double.isFinite(tolerancePpm) || tolerancePpm < 0) {
            throw new IllegalArgumentException("bad estimate: " + driftPpm + " ± " + tolerancePpm);
        }
    }

    /** The frequency correction to apply, d(correction)/d(device time), as a ratio: −drift/(1+drift). */
    double correctionRatio() {
        double d = Nanos.ppm(driftPpm);
        return -d / (1 + d);
    }

    static FrequencyEstimate fromCorrectionRatio(double correctionRatio, double toleranceRatio) {
        // correction c = −d/(1+d)  ⇔  d = −c/(1+c)
        return new FrequencyEstimate(-correctionRatio / (1 + correctionRatio) * 1e6, toleranceRatio * 1e6);
    }
}
