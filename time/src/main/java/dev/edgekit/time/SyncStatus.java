package dev.edgekit.time;

import java.time.Duration;
import java.util.Optional;

/**
 * What the heartbeat reports about the clock.
 *
 * @param state          unsynchronised, tracking a selection, or holding over without one
 * @param offset         disciplined − estimated true time at the last correction
 * @param errorBound     current bound of |disciplined − true|, empty if never synchronised
 * @param stratum        our stratum (16 = unsynchronised)
 * @param selectedServer the system peer
 * @param frequency      the applied frequency correction as an oscillator drift estimate
 * @param pollInterval   the current interval between bursts (of the first server)
 * @param lastSelection  the last outcome of server selection, if any
 */
public record SyncStatus(State state, Duration offset, Optional<Duration> errorBound, int stratum,
                         Optional<String> selectedServer, FrequencyEstimate frequency, Duration pollInterval,
                         Optional<Selection> lastSelection) {
    public enum State { UNSYNCHRONISED, SYNCHRONISED, HOLDOVER }
}
