package dev.edgekit.ubiquitous.registry;

import dev.edgekit.protocol.clock.HlcTimestamp;
import dev.edgekit.protocol.message.Birth;
import dev.edgekit.protocol.message.Heartbeat;
import dev.edgekit.protocol.message.Telemetry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What a consumer knows about one device, as an immutable snapshot.
 *
 * @param birth           the current session's birth certificate; null if only heartbeats or telemetry were seen
 * @param lastSeenAt      local time of the last message from the device, on the registry's clock
 * @param lastHeartbeat   the last heartbeat, or null
 * @param latest          the latest reading per channel
 * @param lastHlc         the highest HLC seen on the device's messages, or null
 * @param telemetryCount  telemetry accepted, each (device, seq) once
 * @param duplicates      telemetry and events dropped as copies of an earlier (device, seq)
 * @param missing         the device's sequence numbers given up as never arriving (gaps)
 */
public record DeviceView(String site, String id, Status status, Birth birth, Instant lastSeenAt,
        Heartbeat lastHeartbeat, Instant lastHeartbeatAt, Map<String, Telemetry> latest, long telemetryCount,
        long eventCount, HlcTimestamp lastHlc, long duplicates, long missing) {

    public enum Status {
        /** Born and not yet gone. */
        ONLINE,
        /** Its Will or a graceful stop said so. */
        OFFLINE,
        /** Messages seen, but no birth certificate yet (e.g. the registry started mid-session without retained state). */
        UNKNOWN
    }

    public DeviceView {
        latest = Map.copyOf(latest);
    }

    public String name() {
        return birth != null ? birth.name() : id;
    }

    public Optional<Duration> heartbeatAge(Instant now) {
        return lastHeartbeatAt == null ? Optional.empty() : Optional.of(Duration.between(lastHeartbeatAt, now));
    }
}
