package dev.edgekit.hardware;

/**
 * Receives hardware events. Called on whichever thread noticed the event (the agent's sampling thread for sensor
 * faults, the board's scheduler for debounced inputs): hand work off quickly. An exception thrown here is logged
 * and does not reach other listeners.
 */
@FunctionalInterface
public interface HardwareEventListener {
    void onEvent(HardwareEvent event);
}
