/**
 * The contract between edgekit's agent and the hardware it runs on. A {@link dev.edgekit.hardware.Board} is opened
 * from a {@link dev.edgekit.hardware.spec.BoardSpec} (see {@code dev.edgekit.hardware.board.Boards}); the agent samples
 * its {@link dev.edgekit.hardware.Sensor}s synchronously on its own schedule and gets {@link dev.edgekit.hardware.Reading}s
 * with a channel name, value and {@link dev.edgekit.hardware.Unit}; it listens for {@link dev.edgekit.hardware.HardwareEvent}s
 * (buttons, motion, sensor faults); it commands {@link dev.edgekit.hardware.Actuator}s by name with an
 * {@link dev.edgekit.hardware.ActuatorCommand}; and it reports {@link dev.edgekit.hardware.BoardHealth} in its birth
 * certificate and heartbeat. Nothing in this package knows whether the board is a Raspberry Pi or simulated.
 */
package dev.edgekit.hardware;
