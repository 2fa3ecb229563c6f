package dev.edgekit.time;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Rig variants the plain constructor does not cover. */
final class SimRigs {
    private SimRigs() {}

    static SimRig withDeviceStep(long seed, Instant at, Duration step) {
        return new SimRig(seed, Duration.ZERO, 20, SimulatedNetwork.DelayModel.lan(), Map.of("ref", Duration.ZERO),
                TimeSyncConfig.builder("client", List.of("ref")), Optional.empty(), at, step);
    }
}
