package dev.edgekit.protocol.delivery;

/**
 * Counters of one device's stream.
 *
 * @param fresh entries accepted (each sequence number once)
 * @param duplicates copies dropped within the window
 * @param late arrivals dropped because they were older than the window
 * @param missing sequence numbers reported to the {@link GapListener}
 * @param recovered reported-missing sequence numbers that arrived after all (accepted, also counted in fresh)
 * @param highest the highest sequence number seen
 * @param holes sequence numbers inside the window not seen yet (may still arrive)
 */
public record SequenceStats(long fresh, long duplicates, long late, long missing, long recovered, long highest,
                            int holes) {
}
