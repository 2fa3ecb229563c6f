package dev.edgekit.hardware;

/** A PWM output (fan). The duty cycle is a whole percentage 0..100, the resolution Pi4J 3 offers; 0 switches it off. */
public non-sealed interface DutyCycleOutput extends Actuator {
    int MIN_PERCENT = 0;
    int MAX_PERCENT = 100;

    /** @throws IllegalArgumentException outside 0..100 */
    void setDutyCycle(int percent);

    int dutyCyclePercent();
}
