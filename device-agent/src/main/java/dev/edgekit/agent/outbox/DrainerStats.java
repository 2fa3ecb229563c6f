package dev.edgekit.agent.outbox;

/**
 * What a drainer has done, for logs and the heartbeat.
 *
 * @param inFlight publishes awaiting PUBACK in the current attempt
 * @param published publish calls made (re-sends included)
 * @param acknowledged PUBACKs received (each deletes its entry)
 * @param failures failed publishes that started a backoff
 * @param backingOff whether the drainer is waiting before re-sending
 * @param rejected entries the broker refused for good, handed to {@link Outbox#reject} (not retried)
 * @param reads peeks of the outbox (each refills up to half the window or more at once)
 */
public record DrainerStats(int inFlight, long published, long acknowledged, long failures, boolean backingOff,
                           long rejected, long reads) {

    public DrainerStats(int inFlight, long published, long acknowledged, long failures, boolean backingOff) {
        this(inFlight, published, acknowledged, failures, backingOff, 0, 0);
    }
}
