package dev.edgekit.hardware.board;

/** Observes a simulated PWM output, as Pi4J's mock holds it. */
public interface PwmHandle {
    String name();

    boolean isOn();

    int dutyCyclePercent();

    int frequencyHertz();
}
