package dev.edgekit.ubiquitous.election;

import java.time.Duration;
import java.util.Comparator;
import java.util.Objects;

/**
 * Timing and ranking of a bully election.
 *
 * @param answerTimeout      how long a caller waits for an answer from a member that outranks it before it declares
 *                           itself leader
 * @param coordinatorTimeout after an answer, how long to wait for the coordinator before calling again
 * @param announceInterval   a leader repeats its coordinator message this often; this bounds how long two leaders can
 *                           act at once after a partition heals (set it to the heartbeat interval or less)
 * @param rank               orders member ids, first = highest priority. Default: the lowest id wins, the same rule
 *                           as the interim "lowest id among online members", so switching to the election changes
 *                           no outcome in a healthy fleet.
 */
public record ElectionConfig(Duration answerTimeout, Duration coordinatorTimeout, Duration announceInterval,
        Comparator<String> rank) {

    public ElectionConfig {
        Objects.requireNonNull(answerTimeout, "answerTimeout");
        Objects.requireNonNull(coordinatorTimeout, "coordinatorTimeout");
        Objects.requireNonNull(announceInterval, "announceInterval");
        Objects.requireNonNull(rank, "rank");
    }

    /** For heartbeats every {@code heartbeat}: answers within half of it, coordinators within two, announce each. */
    public static ElectionConfig forHeartbeat(Duration heartbeat) {
        return new ElectionConfig(heartbeat.dividedBy(2), heartbeat.multipliedBy(2), heartbeat,
                Comparator.naturalOrder());
    }

    public ElectionConfig withRank(Comparator<String> newRank) {
        return new ElectionConfig(answerTimeout, coordinatorTimeout, announceInterval, newRank);
    }
}
