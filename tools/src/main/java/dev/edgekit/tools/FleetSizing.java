package dev.edgekit.tools;

import dev.edgekit.agent.config.AgentConfig;
import java.time.Duration;

/**
 * Sizing rules for a simulated fleet in one JVM, measured with {@code edgekit bench fleet}.
 *
 * <p>Clock sync: every agent polls the site's one time server in bursts of 8 exchanges, every 250 ms at first, and
 * backs off only once its bursts agree with its prediction. A thousand agents at 250 ms would ask for 32,000
 * exchanges/s; the time server falls behind, its replies queue, the delays turn asymmetric, the bursts stop agreeing
 * and every agent stays at the shortest interval: a feedback loop that made sync traffic four times the telemetry.
 * So the shortest interval grows with the fleet, keeping the settling traffic near {@link #SYNC_EXCHANGES_PER_SECOND}.
 */
final class FleetSizing {
    /** Exchanges per second the fleet may ask of one time server while it settles. */
    static final int SYNC_EXCHANGES_PER_SECOND = 400;
    private static final int BURST = 8;
    private static final Duration BOARD_MIN_POLL = Duration.ofMillis(250);

    private FleetSizing() {
    }

    /** The shortest poll interval for a fleet of {@code devices}: a board's 250 ms up to 12 devices, then longer. */
    static Duration minPoll(int devices) {
        long millis = Math.max(BOARD_MIN_POLL.toMillis(), 1000L * devices * BURST / SYNC_EXCHANGES_PER_SECOND);
        return Duration.ofMillis(millis);
    }

    static AgentConfig.TimeConfig timeConfig(AgentConfig.TimeConfig base, Duration minPoll) {
        Duration maxPoll = minPoll.compareTo(base.maxPoll()) > 0 ? minPoll : base.maxPoll();
        return new AgentConfig.TimeConfig(base.mode(), base.servers(), minPoll, maxPoll, base.minTransit(),
                base.maxTransit(), base.driftFile(), base.serve(), base.reference(), base.berkeleyTolerance(),
                base.berkeleyPeriod());
    }
}
