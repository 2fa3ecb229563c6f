package dev.edgekit.hardware.spec;

/** A Bosch BME280 on an I2C bus ({@code bus} 1 on a Pi's header), at address 0x76 (SDO to GND) or 0x77 (SDO to VDDIO). */
public record Bme280Spec(String name, int bus, int address) implements DeviceSpec {
    public static final int PRIMARY_ADDRESS = 0x76;
    public static final int SECONDARY_ADDRESS = 0x77;

    public Bme280Spec {
        DeviceSpec.checkName(name, "bme280");
        if (bus < 0) {
            throw new IllegalArgumentException("bme280 entry '" + name + "': bus must be 0 or more, was " + bus);
        }
        if (address != PRIMARY_ADDRESS && address != SECONDARY_ADDRESS) {
            throw new IllegalArgumentException("bme280 entry '" + name + "': address must be 0x76 or 0x77, was 0x"
                    + Integer.toHexString(address));
        }
    }

    /** Bus 1, address 0x76: the usual breakout wiring. */
    public static Bme280Spec onBus1(String name) {
        return new Bme280Spec(name, 1, PRIMARY_ADDRESS);
    }

    @Override
    public String kind() {
        return "bme280";
    }
}
