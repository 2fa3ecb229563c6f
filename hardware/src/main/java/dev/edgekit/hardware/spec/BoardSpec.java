package dev.edgekit.hardware.spec;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The devices of one board, in config order. Names are unique (the constructor rejects a duplicate, naming it); pins
 * may still clash or not exist, which opening the board reports per device.
 */
public record BoardSpec(List<DeviceSpec> devices) {
    public BoardSpec {
        devices = List.copyOf(devices);
        Set<String> seen = new HashSet<>();
        for (DeviceSpec device : devices) {
            if (!seen.add(device.name())) {
                throw new IllegalArgumentException("hardware entry '" + device.name() + "' is configured twice");
            }
        }
    }

    public static BoardSpec of(DeviceSpec... devices) {
        return new BoardSpec(List.of(devices));
    }

    public static BoardSpec empty() {
        return new BoardSpec(List.of());
    }
}
