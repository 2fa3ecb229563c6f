package dev.edgekit.hardware;

/**
 * Something the agent can command: a {@link Switch} (LED, relay) or a {@link DutyCycleOutput} (PWM fan). Commands
 * usually arrive by name through {@link Board#command(String, ActuatorCommand)}, which validates them.
 */
public sealed interface Actuator permits Switch, DutyCycleOutput {
    /** The config entry name. */
    String name();

    /** The driver, e.g. {@code led}, {@code relay}, {@code pwm}. */
    String kind();

    ActuatorState state();
}
