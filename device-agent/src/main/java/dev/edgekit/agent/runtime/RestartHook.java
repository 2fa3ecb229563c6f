package dev.edgekit.agent.runtime;

import java.util.Optional;

/**
 * How the program that runs an agent restarts it when an operator sends the {@code restart} command: {@code edgekit
 * agent} reads its configuration file again and starts a new agent, the simulator starts the device's agent again
 * from its state folder. An agent without one refuses {@code restart} as not supported.
 */
public interface RestartHook {
    /**
     * Why a restart would fail now (the configuration file no longer loads, say: the running agent carries on and the
     * operator is told), or empty when it can go ahead. Called on the agent's command thread: quick, no waiting.
     */
    Optional<String> problem();

    /**
     * Stops the agent cleanly (it says {@code offline}) and starts a new one. Called once, on a thread of its own,
     * after the command's reply has left.
     */
    void restart();
}
