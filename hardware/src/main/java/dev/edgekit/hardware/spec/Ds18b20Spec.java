package dev.edgekit.hardware.spec;

import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A Maxim DS18B20 read through the kernel's w1 sysfs files ({@code <w1Directory>/<sensorId>/w1_slave}).
 * {@code sensorId} is the kernel's name for it, family 28 and 12 hex digits ({@code 28-0316a2795aff}).
 */
public record Ds18b20Spec(String name, String sensorId, Path w1Directory) implements DeviceSpec {
    public static final Path DEFAULT_W1_DIRECTORY = Path.of("/sys/bus/w1/devices");
    private static final Pattern SENSOR_ID = Pattern.compile("28-[0-9a-f]{12}");

    public Ds18b20Spec {
        DeviceSpec.checkName(name, "ds18b20");
        if (sensorId == null || !SENSOR_ID.matcher(sensorId).matches()) {
            throw new IllegalArgumentException("ds18b20 entry '" + name
                    + "': sensor id must look like 28-0316a2795aff (family 28, 12 lower-case hex digits), was '" + sensorId + "'");
        }
        Objects.requireNonNull(w1Directory, "w1Directory");
    }

    public Ds18b20Spec(String name, String sensorId) {
        this(name, sensorId, DEFAULT_W1_DIRECTORY);
    }

    @Override
    public String kind() {
        return "ds18b20";
    }
}
