/**
 * Opening boards. {@link dev.edgekit.hardware.board.Boards} turns a {@link dev.edgekit.hardware.spec.BoardSpec} into
 * a {@link dev.edgekit.hardware.Board}, either on a Raspberry Pi (Pi4J's gpiod, linuxfs and raspberrypi plugins) or
 * as a {@link dev.edgekit.hardware.board.SimulatedBoard} (Pi4J's mock plugin plus our own chip models: a BME280 register
 * file behind an I2C provider, a DS18B20 w1 sysfs folder, driven by signal models) — never one in place of the other.
 * Both build their Pi4J context explicitly and run the same drivers. A simulated board hands tests and the simulator
 * typed handles ({@link dev.edgekit.hardware.board.Bme280Handle} and friends) to set physical values and inject
 * {@link dev.edgekit.hardware.board.Fault}s without downcasts.
 */
package dev.edgekit.hardware.board;
