package dev.edgekit.time;

import java.util.List;

/** The outcome of selecting among several servers: a combined offset, or a refusal that says why. */
public sealed interface Selection {

    /**
     * @param offsetNanos   combined server − device offset (weighted by 1/root distance)
     * @param lowNanos      lower end of the intersection interval (contains the truth if falsetickers are a minority)
     * @param highNanos     upper end of the intersection interval
     * @param survivors     the truechimers that were combined
     * @param falsetickers  the candidates rejected by the intersection
     * @param systemPeer    the survivor with the least root distance (we inherit its stratum)
     */
    record Selected(long offsetNanos, long lowNanos, long highNanos, List<String> survivors,
                    List<String> falsetickers, String systemPeer) implements Selection {
        public Selected {
            survivors = List.copyOf(survivors);
            falsetickers = List.copyOf(falsetickers);
        }

        /** The largest possible error of {@code offsetNanos} if the truth is inside [low, high]. */
        public long errorBoundNanos() {
            return Math.max(offsetNanos - lowNanos, highNanos - offsetNanos);
        }
    }

    record Refused(Reason reason, int candidates) implements Selection {}

    enum Reason {
        /** No server has a usable estimate. */
        NO_CANDIDATES,
        /** No interval is shared by a majority: half or more of the servers may be wrong. */
        NO_MAJORITY
    }
}
