package dev.edgekit.time;

import java.time.Duration;
import java.util.Objects;

/** How a client turns a reply into an estimate (config {@code mode}). Default {@link Ntp}. */
public sealed interface SyncMode {

    /** Four timestamps: θ = ((t2−t1)+(t3−t4))/2, δ = (t4−t1)−(t3−t2). */
    record Ntp() implements SyncMode {}

    /** One server time T (the reply's transmit stamp): offset = T + RTT/2 − t4. */
    record Cristian() implements SyncMode {}

    /** Known transmission bounds: offset = T + (Tmin+Tmax)/2 − t4, error ≤ (Tmax − Tmin)/2. */
    record Bounded(Duration minTransit, Duration maxTransit) implements SyncMode {
        public Bounded {
            Objects.requireNonNull(minTransit);
            Objects.requireNonNull(maxTransit);
            if (minTransit.isNegative() || maxTransit.compareTo(minTransit) < 0) {
                throw new IllegalArgumentException("need 0 <= Tmin <= Tmax");
            }
        }
    }

    /**
     * Berkeley member: no server estimates; an elected master sends adjustments, applied through
     * {@link DisciplinedClock#adjust}. {@code tolerance} is the master's fault-tolerance window.
     */
    record Berkeley(Duration tolerance) implements SyncMode {}

    /** Builds the exchange this mode makes of a reply's timestamps. */
    default Exchange exchange(long t1Nanos, long t2Nanos, long t3Nanos, long t4Nanos) {
        return switch (this) {
            case Ntp n -> new Exchange.FourTimestamps(t1Nanos, t2Nanos, t3Nanos, t4Nanos);
            case Cristian c -> new Exchange.Cristian(t1Nanos, t3Nanos, t4Nanos);
            case Bounded b -> new Exchange.Bounded(t3Nanos, t4Nanos, b.minTransit.toNanos(), b.maxTransit.toNanos());
            case Berkeley b -> throw new IllegalStateException("a Berkeley member does not poll servers");
        };
    }
}
