package dev.edgekit.hardware.board;

import com.pi4j.io.exception.IOException;
import com.pi4j.io.i2c.I2CConfig;
import com.pi4j.io.i2c.I2CProvider;
import com.pi4j.plugin.mock.provider.i2c.MockI2C;
import java.nio.charset.Charset;
import java.util.Objects;

/**
 * An I2C device that behaves like a chip rather than Pi4J's FIFO mock: reads return the register file's unsigned
 * values without consuming them, bursts auto-increment the register address (wrapping at 0xFF), writes go to the chip
 * model, and raw reads/writes use a register pointer set by the first byte written, as on the wire. With no chip at
 * the address every transfer fails like a NACK does on Linux ("Remote I/O error").
 */
final class RegisterMapI2C extends MockI2C {
    private final RegisterDevice chip;
    private int pointer;

    RegisterMapI2C(I2CProvider provider, I2CConfig config, RegisterDevice chip) {
        super(provider, config);
        this.chip = chip;
    }

    private RegisterDevice chip() {
        if (chip == null) {
            throw new IOException(String.format("I2C transfer to 0x%02x on bus %d failed: Remote I/O error (NACK, no device)",
                    config().device(), config().bus()));
        }
        return chip;
    }

    // ---- register access ----

    @Override
    public synchronized int readRegister(int register) {
        return chip().read(register & 0xFF);
    }

    @Override
    public synchronized int readRegister(int register, byte[] buffer, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        RegisterDevice c = chip();
        for (int i = 0; i < length; i++) {
            buffer[offset + i] = (byte) c.read((register + i) & 0xFF);
        }
        return length;
    }

    @Override
    public int readRegister(byte[] register, byte[] buffer, int offset, int length) {
        return readRegister(register[0] & 0xFF, buffer, offset, length);
    }

    @Override
    public synchronized int writeRegister(int register, byte value) {
        chip().write(register & 0xFF, value & 0xFF);
        return 1;
    }

    @Override
    public synchronized int writeRegister(int register, byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        RegisterDevice c = chip();
        for (int i = 0; i < length; i++) {
            c.write((register + i) & 0xFF, data[offset + i] & 0xFF);
        }
        return length;
    }

    @Override
    public int writeRegister(byte[] register, byte[] data, int offset, int length) {
        return writeRegister(register[0] & 0xFF, data, offset, length);
    }

    @Override
    public int writeRegister(int register, Charset charset, CharSequence data) {
        byte[] bytes = data.toString().getBytes(charset);
        return writeRegister(register, bytes, 0, bytes.length);
    }

    @Override
    public String readRegisterString(int register, Charset charset, int length) {
        byte[] bytes = new byte[length];
        readRegister(register, bytes, 0, length);
        return new String(bytes, charset);
    }

    // ---- raw access: first written byte sets the register pointer ----

    @Override
    public synchronized int write(byte b) {
        chip();
        pointer = b & 0xFF;
        return 1;
    }

    @Override
    public synchronized int write(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        if (length == 0) {
            return 0;
        }
        pointer = data[offset] & 0xFF;
        if (length > 1) {
            writeRegister(pointer, data, offset + 1, length - 1);
            pointer = (pointer + length - 1) & 0xFF;
        }
        return length;
    }

    @Override
    public int write(Charset charset, CharSequence data) {
        byte[] bytes = data.toString().getBytes(charset);
        return write(bytes, 0, bytes.length);
    }

    @Override
    public synchronized int read() {
        int value = chip().read(pointer);
        pointer = (pointer + 1) & 0xFF;
        return value;
    }

    @Override
    public synchronized int read(byte[] buffer, int offset, int length) {
        readRegister(pointer, buffer, offset, length);
        pointer = (pointer + length) & 0xFF;
        return length;
    }

    @Override
    public String readString(Charset charset, int length) {
        byte[] bytes = new byte[length];
        read(bytes, 0, length);
        return new String(bytes, charset);
    }
}
