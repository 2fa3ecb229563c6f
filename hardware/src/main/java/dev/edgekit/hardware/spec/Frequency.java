package dev.edgekit.hardware.spec;

/** A frequency in whole hertz (Pi4J 3 PWM takes whole hertz). */
public record Frequency(int hertz) {
    public Frequency {
        if (hertz <= 0) {
            throw new IllegalArgumentException("a frequency is positive, was " + hertz + " Hz");
        }
    }

    public static Frequency ofHertz(int hertz) {
        return new Frequency(hertz);
    }

    public static Frequency ofKilohertz(int kilohertz) {
        return new Frequency(Math.multiplyExact(kilohertz, 1000));
    }
}
