package dev.edgekit.ubiquitous.registry;

/**
 * Counters of what a registry accepted and refused.
 *
 * @param malformed    payloads that failed to decode (bad JSON, wrong version, id differing from the topic, oversize)
 * @param badTopics    messages under {@code edgekit/v1/} on topics outside the scheme
 * @param staleStates  births and Wills of sessions older than the current one, ignored
 */
public record RegistryStats(long accepted, long malformed, long badTopics, long staleStates) {
}
