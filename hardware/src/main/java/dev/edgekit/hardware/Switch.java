package dev.edgekit.hardware;

/** An on/off output (LED, relay). "On" means energised, whatever the pin's active level. */
public non-sealed interface Switch extends Actuator {
    void set(boolean on);

    boolean isOn();
}
