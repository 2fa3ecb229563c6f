package dev.edgekit.hardware.board;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Looks at the host through its files, relative to a root ("/" in production, a temporary folder in tests): is this a
 * Raspberry Pi, which model, which serial number, which GPIO chips and I2C buses exist.
 */
final class HostProbe {
    private final Path root;

    HostProbe(Path root) {
        this.root = root;
    }

    static HostProbe system() {
        return new HostProbe(Path.of("/"));
    }

    Path path(String absolute) {
        return root.resolve(absolute.substring(1));
    }

    /** The device tree's model string, e.g. "Raspberry Pi 4 Model B Rev 1.4". */
    Optional<String> model() {
        return read("/proc/device-tree/model").map(s -> s.replace("\0", "").strip()).filter(s -> !s.isEmpty());
    }

    boolean isRaspberryPi() {
        return model().map(m -> m.startsWith("Raspberry Pi")).orElse(false);
    }

    boolean hasGpioChip() {
        return Files.exists(path("/dev/gpiochip0"));
    }

    boolean hasI2cBus(int bus) {
        return Files.exists(path("/dev/i2c-" + bus));
    }

    /** The SoC serial: device tree first, then the "Serial" line of /proc/cpuinfo; all-zero serials count as none. */
    Optional<String> serial() {
        Optional<String> fromTree = read("/sys/firmware/devicetree/base/serial-number").map(s -> s.replace("\0", "").strip());
        Optional<String> serial = fromTree.filter(s -> !s.isEmpty()).or(() -> read("/proc/cpuinfo").flatMap(HostProbe::cpuinfoSerial));
        return serial.filter(s -> !s.matches("0+"));
    }

    Optional<String> hostname() {
        return read("/etc/hostname").map(String::strip).filter(s -> !s.isEmpty());
    }

    static Optional<String> cpuinfoSerial(String cpuinfo) {
        return cpuinfo.lines()
                .filter(l -> l.startsWith("Serial"))
                .map(l -> l.substring(l.indexOf(':') + 1).strip())
                .filter(s -> !s.isEmpty())
                .findFirst();
    }

    private Optional<String> read(String absolute) {
        Path p = path(absolute);
        try {
            return Files.isReadable(p) ? Optional.of(Files.readString(p, StandardCharsets.ISO_8859_1)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
