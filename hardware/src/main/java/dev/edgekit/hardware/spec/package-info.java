/**
 * The hardware description an agent builds its board from: a {@link dev.edgekit.hardware.spec.BoardSpec} holding one
 * {@link dev.edgekit.hardware.spec.DeviceSpec} per config entry (BME280 on I2C, DS18B20 on 1-Wire, digital input,
 * digital output, PWM output). Plain records with no YAML or JSON library behind them: the agent's config loader maps
 * its {@code hardware:} section onto them. Constructors check what can be checked without a board (names, ranges,
 * formats) and name the entry in their message; what depends on the board (does pin 40 exist, is bus 3 there, does a
 * chip answer) is checked when the board is opened and reported per device.
 */
package dev.edgekit.hardware.spec;
