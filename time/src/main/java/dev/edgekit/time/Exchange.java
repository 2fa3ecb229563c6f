package dev.edgekit.time;

/**
 * One request/response exchange and the estimate it yields. Offsets are server − client;
 * {@code delayNanos} is the width of the interval the true offset lies in (RTT for NTP/Cristian,
 * Tmax − Tmin for the bounded method), so the offset is right within ± delay/2.
 */
public sealed interface Exchange permits Exchange.FourTimestamps, Exchange.Cristian, Exchange.Bounded {

    long offsetNanos();

    long delayNanos();

    /** Client time of reception: the local time the estimate refers to. */
    long receivedNanos();

    /**
     * NTP: t1 client send, t2 server receive, t3 server send, t4 client receive.
     * θ = ((t2 − t1) + (t3 − t4)) / 2, δ = (t4 − t1) − (t3 − t2).
     */
    record FourTimestamps(long t1Nanos, long t2Nanos, long t3Nanos, long t4Nanos) implements Exchange {
        @Override
        public long offsetNanos() {
            return ntpOffsetNanos(t1Nanos, t2Nanos, t3Nanos, t4Nanos);
        }

        @Override
        public long delayNanos() {
            return ntpDelayNanos(t1Nanos, t2Nanos, t3Nanos, t4Nanos);
        }

        @Override
        public long receivedNanos() {
            return t4Nanos;
        }
    }

    /** Cristian: the server answers one time T; offset = T + RTT/2 − t_receive, error ≤ RTT/2. */
    record Cristian(long sentNanos, long serverNanos, long receivedNanos) implements Exchange {
        @Override
        public long offsetNanos() {
            return cristianOffsetNanos(serverNanos, receivedNanos - sentNanos, receivedNanos);
        }

        @Override
        public long delayNanos() {
            return receivedNanos - sentNanos;
        }
    }

    /**
     * Synchronous-system method: with transmission time known to lie in [Tmin, Tmax], set
     * t + (Tmin + Tmax)/2; the error is at most (Tmax − Tmin)/2.
     */
    record Bounded(long serverNanos, long receivedNanos, long minTransitNanos, long maxTransitNanos)
            implements Exchange {
        public Bounded {
            if (minTransitNanos < 0 || maxTransitNanos < minTransitNanos) {
                throw new IllegalArgumentException("need 0 <= Tmin <= Tmax");
            }
        }

        @Override
        public long offsetNanos() {
            return boundedOffsetNanos(serverNanos, receivedNanos, minTransitNanos, maxTransitNanos);
        }

        @Override
        public long delayNanos() {
            return maxTransitNanos - minTransitNanos;
        }
    }

    static long ntpOffsetNanos(long t1, long t2, long t3, long t4) {
        long sum = Math.addExact(Math.subtractExact(t2, t1), Math.subtractExact(t3, t4));
        return Math.floorDiv(sum, 2);
    }

    static long ntpDelayNanos(long t1, long t2, long t3, long t4) {
        return Math.subtractExact(Math.subtractExact(t4, t1), Math.subtractExact(t3, t2));
    }

    static long cristianOffsetNanos(long serverNanos, long roundTripNanos, long receivedNanos) {
        return serverNanos + roundTripNanos / 2 - receivedNanos;
    }

    static long boundedOffsetNanos(long serverNanos, long receivedNanos, long minTransitNanos, long maxTransitNanos) {
        return serverNanos + (minTransitNanos + maxTransitNanos) / 2 - receivedNanos;
    }

    /** Worst-case clock skew after a bounded-method set: (Tmax − Tmin) / 2. */
    static long boundedSkewNanos(long minTransitNanos, long maxTransitNanos) {
        return (maxTransitNanos - minTransitNanos) / 2;
    }
}
