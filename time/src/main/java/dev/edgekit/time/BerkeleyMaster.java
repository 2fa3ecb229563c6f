package dev.edgekit.time;

import dev.edgekit.protocol.message.Codec;
import dev.edgekit.protocol.message.MalformedMessageException;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.protocol.mqtt.Outgoing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Berkeley master's round over MQTT: polls every member (a burst of back-to-back request/response exchanges
 * each, one member after another), estimates each member's offset from the master with RTT compensation — the four
 * timestamps θ = ((t2 − t1) + (t3 − t4)) / 2 of the least-delay exchange, which is Cristian's T + RTT/2 − t4 with
 * the member's processing time removed — computes the fault-tolerant average ({@link Berkeley#round}), sends each
 * reachable member its adjustment (QoS 0, on {@code …/$time/berkeley/{member}/adjust}) and applies its own.
 * A member beyond the tolerance from the median is left out of the average but still corrected; a member that
 * does not answer is left out of the round.
 *
 * <p>Each adjustment carries an uncertainty: the member's half round trip plus the largest half round trip among
 * the members in the average (how well the average itself is known), plus both clocks' read precision. It bounds
 * the member's disagreement with the group's average, not its error from true time.
 *
 * <p>Who is master is decided outside: in an agent, by the bully election in {@link TimeService} (whose default rank,
 * lowest id first, gives the same answer as {@link #lowestId} in a healthy group).
 */
public final class BerkeleyMaster {
    private static final Logger log = LoggerFactory.getLogger(BerkeleyMaster.class);

    private final MqttSession session;
    private final String site;
    private final String selfId;
    private final DisciplinedClock clock;
    private final Duration tolerance;
    private final Duration timeout;
    private final int burst;
    private final BerkeleyMember self;
    private final Codec codec = new Codec();
    private long round;

    /** A member's offset from the master (member − master) and the round trip it was measured with. */
    public record Estimate(String member, long offsetNanos, long delayNanos) {}

    /** What one round did. */
    public record Outcome(long round, Berkeley.Round result, Map<String, Estimate> estimates, List<String> unreachable) {}

    /**
     * @param self the master's own member role (its adjustment is applied through it), or null to apply directly
     */
    public BerkeleyMaster(MqttSession session, String site, String selfId, DisciplinedClock clock,
                          Duration tolerance, Duration timeout, int burst, BerkeleyMember self) {
        this.session = Objects.requireNonNull(session);
        this.site = site;
        this.selfId = TimeTopics.requireMemberId(selfId);
        this.clock = Objects.requireNonNull(clock);
        this.tolerance = Objects.requireNonNull(tolerance);
        this.timeout = Objects.requireNonNull(timeout);
        if (burst < 1) throw new IllegalArgumentException("burst must be >= 1");
        this.burst = burst;
        this.self = self;
        this.round = Math.max(1, clock.deviceNanos() / 1_000_000); // rounds stay increasing across restarts
    }

    /** The lowest id among the online members: the election's default rank (the agent itself uses the election). */
    public static String lowestId(Collection<String> online) {
        return online.stream().sorted().findFirst().orElseThrow(() -> new IllegalArgumentException("no members"));
    }

    /** Runs one round over {@code members} (the master itself may be among them; it always takes part). */
    public synchronized CompletableFuture<Outcome> runRound(Collection<String> members) {
        long thisRound = ++round;
        Map<String, CompletableFuture<Estimate>> polls = new LinkedHashMap<>();
        CompletableFuture<?> previous = CompletableFuture.completedFuture(null);
        for (String m : members) {
            if (m.equals(selfId)) continue;
            // one member after another: parallel polls queue behind each other in the master's session and the
            // broker, and the queueing shows up as asymmetric delay
            CompletableFuture<Estimate> poll = previous.handle((x, e) -> null)
                    .thenCompose(x -> estimate(m, thisRound, 0, null));
            polls.put(m, poll);
            previous = poll;
        }
        return previous.handle((x, e) -> finish(thisRound, polls));
    }

    private CompletableFuture<Estimate> estimate(String member, long thisRound, int done, Estimate best) {
        if (done == burst) {
            return best == null ? CompletableFuture.failedFuture(new IllegalStateException("no reading from " + member))
                    : CompletableFuture.completedFuture(best);
        }
        long t1Raw = clock.deviceNanos();
        byte[] body = codec.encodeRecord(new TimeMessage.BerkeleyPoll(selfId, thisRound, WireTimes.request()));
        return session.request(Outgoing.of(TimeTopics.poll(site, member), body, 0), TimeTopics.reply(site, selfId),
                timeout).handle((in, failure) -> {
                    Estimate next = best;
                    if (failure == null) {
                        long t4Raw = Nanos.epochNanos(in.receivedAt());
                        try {
                            TimeMessage.BerkeleyReading r = codec.decode(TimeMessage.BerkeleyReading.class, in.payload());
                            if (r.member().equals(member) && r.round() == thisRound && r.transmitNanos() >= r.receiveNanos()) {
                                // socket stamps where both ends took them; the master's onto its disciplined timeline
                                WireTimes.Times t = WireTimes.refine(t1Raw, r.receiveNanos(), r.transmitNanos(), t4Raw,
                                        r.wire(), true);
                                var x = new Exchange.FourTimestamps(clock.epochNanosAt(t.t1()), t.t2(), t.t3(),
                                        clock.epochNanosAt(t.t4()));
                                if (x.delayNanos() >= 0 && (best == null || x.delayNanos() < best.delayNanos())) {
                                    next = new Estimate(member, x.offsetNanos(), x.delayNanos());
                                }
                            }
                        } catch (MalformedMessageException | ArithmeticException e) {
                            log.debug("{}: bad Berkeley reading from {}: {}", selfId, member, e.getMessage());
                        }
                    }
                    return estimate(member, thisRound, done + 1, next);
                }).thenCompose(f -> f);
    }

    private Outcome finish(long thisRound, Map<String, CompletableFuture<Estimate>> polls) {
        Map<String, Estimate> estimates = new LinkedHashMap<>();
        List<String> unreachable = new ArrayList<>();
        polls.forEach((m, f) -> {
            if (f.isDone() && !f.isCompletedExceptionally()) estimates.put(m, f.join());
            else unreachable.add(m);
        });
        Map<String, Duration> offsets = new LinkedHashMap<>();
        offsets.put(selfId, Duration.ZERO);
        estimates.forEach((m, e) -> offsets.put(m, Duration.ofNanos(e.offsetNanos())));
        Berkeley.Round result = Berkeley.round(offsets, tolerance);
        long precision = clock.device().precision().toNanos();
        long averageHalfWidth = 0;
        for (Estimate e : estimates.values()) {
            if (result.adjustments().get(e.member()).includedInAverage()) {
                averageHalfWidth = Math.max(averageHalfWidth, e.delayNanos() / 2);
            }
        }
        for (Map.Entry<String, Berkeley.Adjustment> a : result.adjustments().entrySet()) {
            String m = a.getKey();
            long own = m.equals(selfId) ? 0 : estimates.get(m).delayNanos() / 2;
            long u = own + averageHalfWidth + 2 * precision;
            long adjustment = a.getValue().adjustment().toNanos();
            if (m.equals(selfId)) {
                if (self != null) self.apply(selfId, adjustment, u);
                else clock.adjust(selfId, Duration.ofNanos(adjustment), Duration.ofNanos(u));
            } else {
                session.publish(Outgoing.of(TimeTopics.adjust(site, m), codec.encodeRecord(new TimeMessage.BerkeleyAdjust(
                        selfId, thisRound, adjustment, u, a.getValue().includedInAverage())), 0));
            }
        }
        log.info("{}: Berkeley round {}: {} members, {} excluded {}, {} unreachable {}", selfId, thisRound,
                offsets.size(), result.excluded().size(), result.excluded(), unreachable.size(), unreachable);
        return new Outcome(thisRound, result, estimates, unreachable);
    }
}
