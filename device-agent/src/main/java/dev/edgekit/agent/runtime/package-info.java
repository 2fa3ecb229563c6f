/**
 * The agent runtime: {@link dev.edgekit.agent.runtime.Agent} ties configuration, presence, heartbeats, the board and
 * the MQTT session together; {@link dev.edgekit.agent.runtime.AgentEnvironment} is everything it takes from outside;
 * {@link dev.edgekit.agent.runtime.AgentBoards} opens the board the config asks for. Package-private: the hardware
 * wiring ({@code HardwareRuntime}: {@code Sampler} for telemetry, {@code HardwareEvents} for events,
 * {@code CommandHandler} for {@code cmd/set} and {@code cmd/get}, {@code BoardReport} for birth and heartbeat).
 */
package dev.edgekit.agent.runtime;
