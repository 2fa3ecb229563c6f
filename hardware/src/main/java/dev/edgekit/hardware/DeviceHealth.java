package dev.edgekit.hardware;

/** One line of a {@link BoardHealth}: the config entry, its driver and its status. */
public record DeviceHealth(String name, String kind, DeviceStatus status) {
    public boolean working() {
        return status instanceof DeviceStatus.Working;
    }
}
