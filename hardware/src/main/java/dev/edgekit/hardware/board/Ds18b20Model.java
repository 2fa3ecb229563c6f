package dev.edgekit.hardware.board;

import dev.edgekit.hardware.HardwareException;
import dev.edgekit.hardware.signal.Signal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;

/**
 * A DS18B20 as the kernel's w1-therm driver shows it: a folder {@code <w1>/<id>/} with a {@code w1_slave} file. Before
 * each read the board calls {@link #convert()}, which samples the signal, quantises it to the sensor's 12-bit
 * resolution (1/16 °C), builds the 9-byte scratchpad with its Maxim CRC-8 and writes the two lines the kernel would.
 * Faults change what is written (or remove the folder). Thread-safe.
 */
final class Ds18b20Model {
    private enum Mode { STUCK, CRC, POWER_ON, UNPLUGGED }

    private final Path folder;
    private final Path file;
    private final InstantSource clock;
    private final Set<Mode> faults = EnumSet.noneOf(Mode.class);
    private Signal temperature;
    private boolean convertedOnce;
    private boolean folderMade; // false again once unplugged: the folder is gone

    Ds18b20Model(Path w1Directory, String sensorId, InstantSource clock, Signal temperature) {
        this.folder = w1Directory.resolve(sensorId);
        this.file = folder.resolve("w1_slave");
        this.clock = clock;
        this.temperature = temperature;
        try {
            Files.createDirectories(folder);
            folderMade = true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create simulated w1 folder " + folder, e);
        }
    }

    Path file() {
        return file;
    }

    synchronized void convert() {
        try {
            if (faults.contains(Mode.UNPLUGGED)) {
                Files.deleteIfExists(file);
                Files.deleteIfExists(folder);
                folderMade = false;
                return;
            }
            if (!folderMade) { // once, not for every sample: a simulated fleet converts thousands a second
                Files.createDirectories(folder);
                folderMade = true;
            }
            if (faults.contains(Mode.STUCK) && convertedOnce) {
                return;
            }
            int raw = faults.contains(Mode.POWER_ON) ? 0x0550 : rawOf(temperature.sample(clock.instant()));
            byte[] pad = {(byte) raw, (byte) (raw >> 8), 0x4B, 0x46, 0x7F, (byte) 0xFF, 0x0C, 0x10, 0};
            pad[8] = (byte) crc8(pad, 8);
            boolean crcOk = !faults.contains(Mode.CRC);
            if (!crcOk) {
                pad[0] ^= 0x04; // a flipped bit on the wire: the transmitted CRC no longer matches
            }
            String bytes = HexFormat.ofDelimiter(" ").formatHex(pad);
            int milli = (short) raw * 1000 / 16;
            String text = bytes + " : crc=" + String.format("%02x", pad[8] & 0xFF) + (crcOk ? " YES" : " NO") + "\n"
                    + bytes + " t=" + milli + "\n";
            // written in place: the driver reads it on this thread right after the conversion, as the kernel makes it
            // on each read (a temporary file and a rename cost a journal entry per sample, thousands a second)
            Files.writeString(file, text, StandardCharsets.US_ASCII);
            convertedOnce = true;
        } catch (IOException e) {
            throw new HardwareException("simulated DS18B20 cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** 12-bit two's complement in 1/16 °C, clamped to the sensor's -55..125 °C. */
    static int rawOf(double celsius) {
        double c = Math.max(-55, Math.min(125, celsius));
        return (int) Math.round(c * 16) & 0xFFFF;
    }

    /** Maxim/Dallas CRC-8 (polynomial x^8 + x^5 + x^4 + 1, reflected 0x8C), as the DS18B20 computes it. */
    static int crc8(byte[] data, int length) {
        int crc = 0;
        for (int i = 0; i < length; i++) {
            int b = data[i] & 0xFF;
            for (int bit = 0; bit < 8; bit++) {
                int mix = (crc ^ b) & 1;
                crc >>= 1;
                if (mix != 0) {
                    crc ^= 0x8C;
                }
                b >>= 1;
            }
        }
        return crc;
    }

    synchronized void setTemperature(Signal signal) {
        this.temperature = signal;
    }

    synchronized void inject(Fault.Ds18b20Fault fault) {
        faults.add(switch (fault) {
            case Fault.StuckValue s -> Mode.STUCK;
            case Fault.CrcError c -> Mode.CRC;
            case Fault.PowerOnReset p -> Mode.POWER_ON;
            case Fault.Unplugged u -> Mode.UNPLUGGED;
        });
    }

    synchronized void clearFaults() {
        faults.clear();
    }
}
