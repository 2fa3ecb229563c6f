package dev.edgekit.hardware.spec;

/** Which pin level means "active" (pressed, motion, on). A button to ground with a pull-up is active {@link #LOW}. */
public enum ActiveLevel { HIGH, LOW }
