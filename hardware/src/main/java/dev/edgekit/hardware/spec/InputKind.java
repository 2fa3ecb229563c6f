package dev.edgekit.hardware.spec;

/** What a digital input is wired to, which decides the events it raises. */
public enum InputKind {
    /** Raises button-pressed / button-released. */
    BUTTON,
    /** A PIR sensor: raises motion-detected / motion-cleared. */
    MOTION
}
