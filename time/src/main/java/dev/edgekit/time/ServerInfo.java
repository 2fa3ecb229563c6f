package dev.edgekit.time;

import java.util.List;
import java.util.Objects;

/**
 * What a time server says about itself in every reply (and in its retained announcement).
 *
 * @param serverId            the server's device id
 * @param stratum             1 = has a trusted reference; n = synced from a stratum n−1 server; 16 = unsynchronised
 * @param rootDelayNanos      round-trip delay accumulated from the stratum-1 reference down to this server
 * @param rootDispersionNanos error accumulated from the reference down to this server, excluding root delay / 2
 * @param precisionNanos      the error of one reading of the server's clock
 * @param referenceChain      the server and its sources up to stratum 1, nearest first (loop detection)
 */
public record ServerInfo(String serverId, int stratum, long rootDelayNanos, long rootDispersionNanos,
                         long precisionNanos, List<String> referenceChain) {
    public static final int UNSYNCHRONISED = 16;

    public ServerInfo {
        Objects.requireNonNull(serverId, "serverId");
        referenceChain = List.copyOf(referenceChain);
        if (rootDelayNanos < 0 || rootDispersionNanos < 0 || precisionNanos < 0) {
            throw new IllegalArgumentException("negative root delay, dispersion or precision");
        }
    }

    /** A stratum-1 server: its clock is a trusted reference within {@code precisionNanos}. */
    public static ServerInfo primary(String serverId, long precisionNanos) {
        return new ServerInfo(serverId, 1, 0, 0, precisionNanos, List.of(serverId));
    }

    public boolean synchronised() {
        return stratum >= 1 && stratum <= Strata.MAX_STRATUM;
    }
}
