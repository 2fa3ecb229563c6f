package dev.edgekit.hardware.board;

/** Drives a simulated digital input's pin (a button, a PIR) from outside. Listeners run at once, on this thread. */
public interface InputHandle {
    String name();

    /** Sets the pin to its active level (pressed, motion) or back, honouring the configured active level. */
    void setActive(boolean active);

    /** Sets the raw pin level. */
    void setLevel(boolean high);

    /** The debounced state the board reports. */
    boolean isActive();
}
