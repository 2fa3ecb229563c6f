package dev.edgekit.hardware.board;

import com.pi4j.io.exception.IOException;
import com.pi4j.io.i2c.I2C;
import com.pi4j.io.i2c.I2CConfig;
import com.pi4j.plugin.mock.provider.i2c.MockI2CProviderImpl;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pi4J's mock I2C provider with chip models behind it: I2C devices it creates are {@link RegisterMapI2C}s wired to the
 * {@link RegisterDevice} placed at their bus and address (or to nothing, which NACKs). Opening a bus the simulated
 * board does not have fails as it does on Linux when {@code /dev/i2c-N} is missing.
 */
final class RegisterMapI2CProvider extends MockI2CProviderImpl {
    private final Set<Integer> buses;
    private final Map<Long, RegisterDevice> chips = new ConcurrentHashMap<>();

    RegisterMapI2CProvider(Set<Integer> buses) {
        this.buses = Set.copyOf(buses);
    }

    void place(int bus, int address, RegisterDevice chip) {
        chips.put(key(bus, address), chip);
    }

    boolean hasBus(int bus) {
        return buses.contains(bus);
    }

    @Override
    public I2C create(I2CConfig config) {
        if (!buses.contains(config.bus())) {
            throw new IOException("I2C bus " + config.bus() + " does not exist (no /dev/i2c-" + config.bus()
                    + "; this simulated board has bus(es) " + buses + ")");
        }
        RegisterMapI2C i2c = new RegisterMapI2C(this, config, chips.get(key(config.bus(), config.device())));
        context.registry().add(i2c);
        return i2c;
    }

    private static long key(int bus, int address) {
        return ((long) bus << 16) | address;
    }
}
