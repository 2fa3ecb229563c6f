package dev.edgekit.hardware.board;

/** Observes a simulated digital output's pin, as Pi4J's mock holds it. */
public interface OutputHandle {
    String name();

    boolean isHigh();
}
