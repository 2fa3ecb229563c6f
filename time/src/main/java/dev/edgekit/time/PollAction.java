package dev.edgekit.time;

import java.time.Instant;

/** What the wiring should do next: send a request now, or come back at a given time. */
public sealed interface PollAction {

    /**
     * Send a time request to {@code serverId} now, with {@code token} as the correlation data;
     * stamp t1 just before the publish call (or at the socket).
     */
    record Send(String serverId, long token) implements PollAction {}

    /** Nothing to do before {@code untilNanos} (device-clock epoch nanoseconds), unless a reply arrives. */
    record Wait(long untilNanos) implements PollAction {
        public Instant until() {
            return Nanos.toInstant(untilNanos);
        }
    }
}
