package dev.edgekit.ubiquitous.registry;

/**
 * Counters of what a registry accepted and refused.
 *
 * @param malformed    payloads that failed to decode (bad JSON, wrong version, id differing from the topic, oversize)
 * @param badTopics    messages under {@code edgekit/v1/} on topics outside the scheme
 * @param staleStates  births and Wills of sessions older than the current one, ignored
 * @param duplicates   telemetry and events dropped as copies by (device, seq) (QoS 1 re-sends; not in accepted)
 * @param missing      sequence numbers given up as never arriving, over all devices (outbox overflow, lost database)
 * @param implausible  births and heartbeats whose {@code birthSeq} jumps beyond {@link Registry#MAX_BIRTH_JUMP} past
 *                     the current session's, ignored (a spoofed birth must not silence a live device)
 * @param unverified   births and Wills of a newer session held back, unconfirmed, while the current one heartbeats,
 *                     and cleared states of a session that heartbeats (ignored)
 * @param contradicted offline states of the current session that a later heartbeat of that session proved false
 */
public record RegistryStats(long accepted, long malformed, long badTopics, long staleStates, long duplicates,
        long missing, long implausible, long unverified, long contradicted) {
    /** Without the count of contradicted offline states. */
    public RegistryStats(long accepted, long malformed, long badTopics, long staleStates, long duplicates,
            long missing, long implausible, long unverified) {
        this(accepted, malformed, badTopics, staleStates, duplicates, missing, implausible, unverified, 0);
    }

    /** Without the counts of implausible and unverified births. */
    public RegistryStats(long accepted, long malformed, long badTopics, long staleStates, long duplicates,
            long missing) {
        this(accepted, malformed, badTopics, staleStates, duplicates, missing, 0, 0, 0);
    }

    /** Without delivery counters. */
    public RegistryStats(long accepted, long malformed, long badTopics, long staleStates) {
        this(accepted, malformed, badTopics, staleStates, 0, 0);
    }
}
