package dev.edgekit.hardware.board;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How a simulated board differs from an ideal one. {@code seed} seeds every signal model (each device gets its own
 * stream derived from the seed and its name, so adding a device does not change the others); {@code i2cBuses} are the
 * buses that exist; {@code absentDevices} are configured entries whose chip is not there (a BME280 that NACKs, a
 * DS18B20 with no w1 folder); {@code chipIds} replaces a BME280 model's chip id (0x58 makes it a BMP280);
 * {@code w1Directory} is where DS18B20 folders are made (a fresh temporary folder, deleted on close, when empty);
 * {@code serial} gives the board's serial and so its default device id; {@code constantSignals} starts every sensor
 * at a fixed, round value (21 °C, 45 %RH, 1013.25 hPa, DS18B20 20 °C) instead of the realistic seeded models.
 */
public record SimulationSettings(
        long seed,
        Set<Integer> i2cBuses,
        Set<String> absentDevices,
        Map<String, Integer> chipIds,
        Optional<Path> w1Directory,
        String serial,
        boolean constantSignals) {

    public SimulationSettings {
        i2cBuses = Set.copyOf(i2cBuses);
        absentDevices = Set.copyOf(absentDevices);
        chipIds = Map.copyOf(chipIds);
        Objects.requireNonNull(w1Directory, "w1Directory");
        Objects.requireNonNull(serial, "serial");
    }

    /** Bus 1 only, every chip present, realistic signals from {@code seed}, serial {@code sim-<seed in hex>}. */
    public static SimulationSettings seeded(long seed) {
        return new SimulationSettings(seed, Set.of(1), Set.of(), Map.of(), Optional.empty(),
                "sim-" + Long.toHexString(seed), false);
    }

    public SimulationSettings withI2cBuses(Integer... buses) {
        return new SimulationSettings(seed, Set.of(buses), absentDevices, chipIds, w1Directory, serial, constantSignals);
    }

    public SimulationSettings withAbsent(String... names) {
        Set<String> absent = new HashSet<>(absentDevices);
        absent.addAll(Arrays.asList(names));
        return new SimulationSettings(seed, i2cBuses, absent, chipIds, w1Directory, serial, constantSignals);
    }

    public SimulationSettings withChipId(String name, int chipId) {
        Map<String, Integer> ids = new HashMap<>(chipIds);
        ids.put(name, chipId);
        return new SimulationSettings(seed, i2cBuses, absentDevices, ids, w1Directory, serial, constantSignals);
    }

    public SimulationSettings withW1Directory(Path directory) {
        return new SimulationSettings(seed, i2cBuses, absentDevices, chipIds, Optional.of(directory), serial, constantSignals);
    }

    public SimulationSettings withSerial(String serial) {
        return new SimulationSettings(seed, i2cBuses, absentDevices, chipIds, w1Directory, serial, constantSignals);
    }

    public SimulationSettings withConstantSignals() {
        return new SimulationSettings(seed, i2cBuses, absentDevices, chipIds, w1Directory, serial, true);
    }
}
