package dev.edgekit.hardware.board;

/** One byte a driver wrote to a simulated chip's register, as recorded by the chip model. */
public record RegisterWrite(int register, int value) {
    @Override
    public String toString() {
        return String.format("0x%02X<-0x%02X", register, value);
    }
}
