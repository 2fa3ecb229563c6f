package dev.edgekit.ubiquitous.detect;

import java.time.Duration;
import java.time.Instant;

/**
 * One device as a consumer judges it at an instant.
 *
 * @param suspicion     phi (phi accrual) or silence / suspectAfter (timeout); 0 before any arrival
 * @param lastArrival   last heartbeat or birth, on the consumer's clock; null if none
 * @param meanInterval  measured mean heartbeat interval, null before two heartbeats
 */
public record Assessment(String site, String id, Liveness state, double suspicion, Instant lastArrival,
        Duration meanInterval, long heartbeats) {
}
