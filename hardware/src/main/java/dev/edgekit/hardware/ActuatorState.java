package dev.edgekit.hardware;

/** What an actuator is doing now; a switch reports 0 or 100 as its duty cycle. */
public record ActuatorState(String name, String kind, boolean on, int dutyCyclePercent) {
}
