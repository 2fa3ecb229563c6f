package dev.edgekit.time;

import dev.edgekit.testkit.FakeClock;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * A deterministic network between simulated clocks: an exchange stamps t1 on the client, advances
 * the shared reference clock by the outbound delay, stamps t2 and t3 on the server (with processing
 * time between), advances by the return delay and stamps t4. Delays = base (+ extra outbound, the
 * asymmetry) + uniform jitter in [−jitter, +jitter], never below zero.
 */
final class SimulatedNetwork {
    record DelayModel(Duration base, Duration jitter, Duration extraOutbound, Duration processing) {
        static DelayModel lan() {
            return new DelayModel(micros(100), micros(20), Duration.ZERO, micros(10));
        }
    }

    static Duration micros(long micros) {
        return Duration.ofNanos(micros * 1_000);
    }

    /** The four timestamps and the true one-way delays. */
    record Result(long t1, long t2, long t3, long t4, long outboundNanos, long returnNanos) {}

    private final FakeClock reference;
    private final DelayModel model;
    private final RandomGenerator random;

    SimulatedNetwork(FakeClock reference, DelayModel model, RandomGenerator random) {
        this.reference = reference;
        this.model = model;
        this.random = random;
    }

    Result exchange(LongSupplier clientStamp, LongSupplier serverStamp) {
        long t1 = clientStamp.getAsLong();
        long out = delay(model.extraOutbound().toNanos());
        reference.advance(Duration.ofNanos(out));
        long t2 = serverStamp.getAsLong();
        reference.advance(model.processing());
        long t3 = serverStamp.getAsLong();
        long back = delay(0);
        reference.advance(Duration.ofNanos(back));
        long t4 = clientStamp.getAsLong();
        return new Result(t1, t2, t3, t4, out, back);
    }

    /** One-way trip (for Cristian-style polls): advances the reference by one leg's delay. */
    long oneWay() {
        long d = delay(0);
        reference.advance(Duration.ofNanos(d));
        return d;
    }

    private long delay(long extraNanos) {
        long j = model.jitter().toNanos();
        long jitter = j == 0 ? 0 : random.nextLong(-j, j + 1);
        return Math.max(0, model.base().toNanos() + extraNanos + jitter);
    }
}
