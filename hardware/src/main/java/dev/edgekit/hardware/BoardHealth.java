package dev.edgekit.hardware;

import java.util.List;

/**
 * The state of every configured device, for the agent's birth certificate and heartbeat. A board is degraded when any
 * device is not {@link DeviceStatus.Working}.
 */
public record BoardHealth(List<DeviceHealth> devices) {
    public BoardHealth {
        devices = List.copyOf(devices);
    }

    public boolean degraded() {
        return devices.stream().anyMatch(d -> !d.working());
    }

    public List<DeviceHealth> problems() {
        return devices.stream().filter(d -> !d.working()).toList();
    }
}
