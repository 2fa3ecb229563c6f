package dev.edgekit.hardware.driver;

/**
 * The BME280's factory trimming parameters (datasheet BST-BME280-DS002 §4.2.2, table 16), decoded from the two NVM
 * blocks 0x88..0xA1 and 0xE1..0xE7. Field types follow the datasheet: T1, P1 unsigned 16 bit; T2, T3, P2..P9, H2 signed
 * 16 bit; H1, H3 unsigned 8 bit; H4, H5 signed 12 bit; H6 signed 8 bit.
 */
public record Bme280Calibration(
        int digT1, int digT2, int digT3,
        int digP1, int digP2, int digP3, int digP4, int digP5, int digP6, int digP7, int digP8, int digP9,
        int digH1, int digH2, int digH3, int digH4, int digH5, int digH6) {

    /** First calibration block: 0x88..0xA1, 26 bytes. */
    public static final int BLOCK1_START = 0x88;
    public static final int BLOCK1_LENGTH = 26;
    /** Second calibration block: 0xE1..0xE7, 7 bytes. */
    public static final int BLOCK2_START = 0xE1;
    public static final int BLOCK2_LENGTH = 7;

    /**
     * Constants from a real BME280 (T and P are the worked example of the BMP280 datasheet, which shares these
     * formulas); the simulated chip uses them.
     */
    public static Bme280Calibration typical() {
        return new Bme280Calibration(27504, 26435, -1000,
                36477, -10685, 3024, 2855, 140, -7, 15500, -14600, 6000,
                75, 362, 0, 313, 50, 30);
    }

    public static Bme280Calibration decode(byte[] block1, byte[] block2) {
        if (block1.length != BLOCK1_LENGTH || block2.length != BLOCK2_LENGTH) {
            throw new IllegalArgumentException("calibration blocks are 26 and 7 bytes, got " + block1.length + " and " + block2.length);
        }
        return new Bme280Calibration(
                u16(block1, 0), s16(block1, 2), s16(block1, 4),
                u16(block1, 6), s16(block1, 8), s16(block1, 10), s16(block1, 12), s16(block1, 14),
                s16(block1, 16), s16(block1, 18), s16(block1, 20), s16(block1, 22),
                block1[25] & 0xFF,
                s16(block2, 0),
                block2[2] & 0xFF,
                (block2[3] << 4) | (block2[4] & 0x0F),           // E4 is signed: (int8) E4 * 16 | E5[3:0]
                (block2[5] << 4) | ((block2[4] & 0xFF) >> 4),    // E6 is signed: (int8) E6 * 16 | E5[7:4]
                block2[6]);                                      // signed 8 bit
    }

    /** The 26 bytes of 0x88..0xA1 that decode to this calibration (0xA0 is reserved and reads 0). */
    public byte[] block1() {
        byte[] b = new byte[BLOCK1_LENGTH];
        int[] words = {digT1, digT2, digT3, digP1, digP2, digP3, digP4, digP5, digP6, digP7, digP8, digP9};
        for (int i = 0; i < words.length; i++) {
            b[2 * i] = (byte) words[i];
            b[2 * i + 1] = (byte) (words[i] >> 8);
        }
        b[25] = (byte) digH1;
        return b;
    }

    /** The 7 bytes of 0xE1..0xE7 that decode to this calibration. */
    public byte[] block2() {
        return new byte[]{
                (byte) digH2, (byte) (digH2 >> 8),
                (byte) digH3,
                (byte) (digH4 >> 4),
                (byte) ((digH4 & 0x0F) | ((digH5 & 0x0F) << 4)),
                (byte) (digH5 >> 4),
                (byte) digH6};
    }

    private static int u16(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8;
    }

    private static int s16(byte[] b, int i) {
        return (short) u16(b, i);
    }
}
