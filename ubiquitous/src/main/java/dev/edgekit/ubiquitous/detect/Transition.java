package dev.edgekit.ubiquitous.detect;

import java.time.Instant;

/**
 * A device changed state in a consumer's view.
 *
 * @param at        when the consumer noticed (its clock)
 * @param suspicion the detector's suspicion at that instant
 * @param reason    what caused it: {@code birth}, {@code heartbeat}, {@code will}, {@code shutdown}, {@code phi},
 *                  {@code timeout}, {@code silence}
 */
public record Transition(String site, String id, Liveness from, Liveness to, Instant at, double suspicion,
        String reason) {
    @Override
    public String toString() {
        return at + " " + site + "/" + id + " " + from.wire() + " → " + to.wire() + " (" + reason + ", suspicion "
                + String.format(java.util.Locale.ROOT, "%.1f", suspicion) + ")";
    }
}
