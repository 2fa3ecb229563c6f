package dev.edgekit.hardware.board;

/** A simulated I2C chip seen as a register file: 8-bit register addresses, unsigned 8-bit values. */
interface RegisterDevice {
    /** @throws com.pi4j.io.exception.IOException when the chip does not acknowledge (NACK) */
    int read(int register);

    /** @throws com.pi4j.io.exception.IOException when the chip does not acknowledge (NACK) */
    void write(int register, int value);
}
