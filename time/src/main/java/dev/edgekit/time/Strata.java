package dev.edgekit.time;

import java.util.Optional;

/** The stratum rule: serve at source + 1, at most 15; refuse sources whose chain contains ourselves. */
public final class Strata {
    public static final int MAX_STRATUM = 15;

    private Strata() {}

    /** Why {@code selfId} must not sync from this server, or empty if it may. */
    public static Optional<RejectReason> check(String selfId, ServerInfo server) {
        if (server.stratum() < 1 || server.stratum() >= ServerInfo.UNSYNCHRONISED) {
            return Optional.of(RejectReason.SERVER_UNSYNCHRONISED);
        }
        if (server.serverId().equals(selfId) || server.referenceChain().contains(selfId)) {
            return Optional.of(RejectReason.LOOP);
        }
        if (servingStratum(server.stratum()) > MAX_STRATUM) {
            return Optional.of(RejectReason.STRATUM_TOO_HIGH);
        }
        return Optional.empty();
    }

    /** The stratum a client of a stratum-{@code sourceStratum} server serves at (16 = unsynchronised). */
    public static int servingStratum(int sourceStratum) {
        return Math.min(sourceStratum + 1, ServerInfo.UNSYNCHRONISED);
    }
}
