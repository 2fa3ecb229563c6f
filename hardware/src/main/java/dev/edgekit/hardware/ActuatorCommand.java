package dev.edgekit.hardware;

/** A command for an actuator, as the agent decodes it from {@code cmd/{name}}. */
public sealed interface ActuatorCommand {
    /** Turn a switch on or off; on a PWM output, off is 0 % and on is 100 %. */
    record SetOn(boolean on) implements ActuatorCommand {
    }

    /** Set a PWM output's duty cycle, 0..100 %. Rejected for a switch. */
    record SetDutyCycle(int percent) implements ActuatorCommand {
    }
}
