package dev.edgekit.hardware.spec;

/** What a digital output drives; both are commanded on/off. */
public enum OutputKind { LED, RELAY }
