package dev.edgekit.protocol.mqtt;

/**
 * Counters of one session, for status lines and tests.
 *
 * @param handlerFailures  handlers that threw (logged, the session carried on)
 * @param badStamps        messages whose {@code hlc}/{@code lamport} properties were malformed or too far ahead
 * @param unmatchedReplies replies whose correlation data matched no pending request (late or foreign)
 */
public record SessionStats(long connects, long connectFailures, long published, long publishFailures, long received,
        long handlerFailures, long badStamps, long unmatchedReplies) {
}
