package dev.edgekit.time;

/** What became of a reply. */
public sealed interface Verdict {
    /** The sample entered the clock filter; {@code clockUpdated} if it led to a new correction. */
    record Accepted(TimeSample sample, boolean clockUpdated) implements Verdict {}

    /** Rejected and counted; the clock did not move. */
    record Rejected(RejectReason reason, String detail) implements Verdict {}
}
