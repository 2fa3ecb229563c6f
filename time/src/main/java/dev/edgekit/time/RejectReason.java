package dev.edgekit.time;

/** Why a reply was rejected; every rejection is counted and none moves the clock. */
public enum RejectReason {
    /** Correlation token never issued (or issued to no known server). */
    UNKNOWN_CORRELATION,
    /** A reply to an exchange that already timed out, was already answered, or is older than the last accepted. */
    STALE,
    /** The reply names a server that is not the one asked, or not a configured/selected one. */
    UNSELECTED_SERVER,
    /** δ < 0: the server claims to have held the request longer than the round trip. */
    NEGATIVE_DELAY,
    /** t3 < t2: the server sent before it received. */
    SERVER_TIMESTAMPS_REVERSED,
    /** A server timestamp outside the plausible range (before the configured epoch, or absurdly far ahead). */
    IMPLAUSIBLE_TIMESTAMP,
    /** The round trip exceeds the configured maximum: the estimate would be too loose to use. */
    DELAY_TOO_LARGE,
    /** The server is not synchronised (stratum 0 or 16). */
    SERVER_UNSYNCHRONISED,
    /** Syncing from it would put us above stratum 15. */
    STRATUM_TOO_HIGH,
    /** The server's reference chain includes ourselves. */
    LOOP,
    /** Bounded mode: the measured round trip contradicts the configured Tmin. */
    BOUNDS_VIOLATED,
    /** The offset jumps away from the prediction by more than the step threshold (not yet confirmed). */
    SPIKE
}
