package dev.edgekit.hardware.driver;

import dev.edgekit.hardware.Channel;
import dev.edgekit.hardware.Quantity;
import dev.edgekit.hardware.Reading;
import dev.edgekit.hardware.Sensor;
import dev.edgekit.hardware.SensorException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maxim DS18B20 read through the Linux w1-therm driver: {@code <w1>/<id>/w1_slave} holds two lines, the scratchpad
 * with the kernel's CRC verdict ({@code ... : crc=57 YES}) and the scratchpad again with the temperature in m°C
 * ({@code ... t=23125}). Reading the file makes the kernel run a conversion (~750 ms at 12 bits), so a read blocks
 * that long on a real board. A CRC verdict other than {@code YES} and the 85 °C power-on value (a conversion that never
 * ran, e.g. after a brown-out) are rejected.
 */
public final class Ds18b20 implements Sensor {
    /** The scratchpad's power-on reset value, 0x0550: reported as 85000 m°C. */
    public static final int POWER_ON_MILLICELSIUS = 85_000;
    private static final Pattern CRC_LINE = Pattern.compile("crc=([0-9a-f]{2}) (YES|NO)\\s*$");
    private static final Pattern TEMPERATURE = Pattern.compile("t=(-?\\d+)\\s*$");

    private final String name;
    private final Path file;
    private final List<Channel> channels;

    private Ds18b20(String name, Path file) {
        this.name = name;
        this.file = file;
        this.channels = List.of(new Channel(name, Quantity.TEMPERATURE));
    }

    /**
     * @throws SensorException when the sensor's folder is missing (1-Wire not enabled, sensor not wired, wrong id)
     */
    public static Ds18b20 open(String name, String sensorId, Path w1Directory) {
        Objects.requireNonNull(name, "name");
        Path folder = w1Directory.resolve(sensorId);
        if (!Files.isDirectory(w1Directory)) {
            throw new SensorException(name, "1-Wire directory " + w1Directory + " does not exist:"
                    + " enable 1-Wire (dtoverlay=w1-gpio in /boot/firmware/config.txt, data on GPIO 4)");
        }
        if (!Files.isDirectory(folder)) {
            throw new SensorException(name, "no 1-Wire sensor " + sensorId + " in " + w1Directory
                    + ": check the wiring and the 4.7 kΩ pull-up, and the id (ls " + w1Directory + ")");
        }
        return new Ds18b20(name, folder.resolve("w1_slave"));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String kind() {
        return "ds18b20";
    }

    @Override
    public List<Channel> channels() {
        return channels;
    }

    @Override
    public List<Reading> read() {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new SensorException(name, file + " does not exist: the sensor is gone from the 1-Wire bus", e);
        } catch (IOException e) {
            throw new SensorException(name, "cannot read " + file + ": " + e.getMessage(), e);
        }
        return List.of(new Reading(channels.get(0), parse(name, text)));
    }

    /** Parses the content of a {@code w1_slave} file to °C, applying the CRC and power-on checks. */
    static double parse(String name, String text) {
        String[] lines = text.strip().split("\\R");
        if (lines.length < 2) {
            throw new SensorException(name, "w1_slave has " + lines.length + " line(s), expected 2: '" + text.strip() + "'");
        }
        Matcher crc = CRC_LINE.matcher(lines[0]);
        if (!crc.find()) {
            throw new SensorException(name, "w1_slave first line has no CRC verdict: '" + lines[0] + "'");
        }
        if (!crc.group(2).equals("YES")) {
            throw new SensorException(name, "CRC check failed (crc=" + crc.group(1) + " NO): noise on the 1-Wire bus");
        }
        Matcher t = TEMPERATURE.matcher(lines[1]);
        if (!t.find()) {
            throw new SensorException(name, "w1_slave second line has no temperature: '" + lines[1] + "'");
        }
        int milli = Integer.parseInt(t.group(1));
        if (milli == POWER_ON_MILLICELSIUS) {
            throw new SensorException(name, "read 85 °C, the power-on value: no conversion ran (power glitch or parasite power)");
        }
        if (milli < -55_000 || milli > 125_000) {
            throw new SensorException(name, "read " + milli / 1000.0 + " °C, outside the sensor's -55..125 °C range");
        }
        return milli / 1000.0;
    }
}
