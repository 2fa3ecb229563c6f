package dev.edgekit.protocol.message;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * The birth certificate, published retained on {@code state} when a session starts ({@code "status": "online"}).
 *
 * @param name      human-readable name, e.g. "Greenhouse 2 north"
 * @param board     board model and serial
 * @param software  agent version
 * @param network   how the device is reached now; changes when it roams
 * @param location  optional
 * @param birthSeq  increases with every session of this device, across restarts
 * @param degraded  configured parts that failed to start, each naming its config entry; empty when healthy
 * @param outboxDropped optional: entries the device's outbox overflow policy has dropped, ever (persisted across
 *                  restarts), as of this birth; absent (null) from devices that do not report it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Birth(String id, String name, String site, Board board, List<Capability> capabilities, String software,
        Network network, Location location, Instant sessionStart, long birthSeq, List<String> degraded,
        Long outboxDropped)
        implements StateMessage {

    /** Without the outbox's dropped counter (older callers, devices without an outbox). */
    public Birth(String id, String name, String site, Board board, List<Capability> capabilities, String software,
            Network network, Location location, Instant sessionStart, long birthSeq, List<String> degraded) {
        this(id, name, site, board, capabilities, software, network, location, sessionStart, birthSeq, degraded, null);
    }

    public Birth {
        Fields.requireId(id);
        Fields.requireId(site);
        name = name == null || name.isBlank() ? id : name;
        Fields.require(board, "board");
        capabilities = List.copyOf(Fields.require(capabilities, "capabilities"));
        Fields.require(software, "software");
        Fields.require(sessionStart, "sessionStart");
        Fields.requireNonNegative(birthSeq, "birthSeq");
        degraded = degraded == null ? List.of() : List.copyOf(degraded);
        if (outboxDropped != null) {
            Fields.requireNonNegative(outboxDropped, "outboxDropped");
        }
    }

    public boolean hasCapability(String capabilityName) {
        return capabilities.stream().anyMatch(c -> c.name().equals(capabilityName));
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Board(String model, String serial) {
        public Board {
            Fields.require(model, "board.model");
        }
    }

    /** @param broker the broker URI the device is connected through */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Network(String address, String iface, String broker) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Location(Double latitude, Double longitude, String label) {
    }
}
