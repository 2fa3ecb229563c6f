package dev.edgekit.hardware.spec;

/** The pin's internal resistor. */
public enum Pull { UP, DOWN, OFF }
