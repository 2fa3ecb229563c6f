package dev.edgekit.time;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The client side of clock synchronisation, without the wire. The wiring asks {@link #nextAction}
 * what to do (send a request to a server now, or wait), stamps t1/t4 with {@link #stampNanos()},
 * and hands every reply to {@link #onReply}. Each reply is validated; at the end of a burst its
 * exchanges (but the first) go into the server's clock filter (a weighted line of offset over time), then
 * selection across servers (Marzullo) and into the {@link DisciplinedClock}. Thread-safe (methods are
 * serialised); never blocks or sleeps.
 */
public final class TimeSync {
    private final TimeSyncConfig config;
    private final DisciplinedClock clock;
    private final Optional<FrequencyEstimate> prior;
    private final List<Track> tracks = new ArrayList<>();
    private final EnumMap<RejectReason, Long> rejections = new EnumMap<>(RejectReason.class);
    private final long clientPrecisionNanos;
    private long accepted;
    private Selection lastSelection;
    private long holdoverNanos;

    /** Per-server state: poll schedule, filter, regression, spike counter. */
    private final class Track {
        final String serverId;
        final PollScheduler scheduler;
        final ClockFilter filter = new ClockFilter(config.filterSize());
        final List<TimeSample> burst = new ArrayList<>(); // the accepted exchanges of the burst under way
        ServerInfo lastInfo;
        long lastAcceptedT1 = Long.MIN_VALUE;
        int spikes;

        Track(String serverId, int index) {
            this.serverId = serverId;
            this.scheduler = new PollScheduler(serverId, index, config.minPoll().toNanos(), config.maxPoll().toNanos(),
                    config.replyTimeout().toNanos(), config.burstSize(), config.settleBursts(),
                    new SplittableRandom(((long) config.selfId().hashCode() << 32) ^ serverId.hashCode()));
        }

        Optional<ClockFilter.Estimate> estimate(long nowNanos) {
            return filter.estimate(nowNanos, prior.map(FrequencyEstimate::correctionRatio).orElse(0.0),
                    Nanos.ppm(prior.map(FrequencyEstimate::tolerancePpm).orElse(config.initialTolerancePpm())),
                    Nanos.ppm(config.clockWanderPpm()));
        }

        /** The frequency comes from this server's own samples (a line through them), not from the prior. */
        boolean measuredFrequency(long nowNanos) {
            return estimate(nowNanos).map(e -> e.window() > 0).orElse(false);
        }
    }

    private TimeSync(TimeSyncConfig config, DisciplinedClock clock, Optional<FrequencyEstimate> prior) {
        this.config = Objects.requireNonNull(config);
        this.clock = Objects.requireNonNull(clock);
        this.prior = Objects.requireNonNull(prior);
        this.clientPrecisionNanos = clock.device().precision().toNanos();
        for (int i = 0; i < config.servers().size(); i++) tracks.add(new Track(config.servers().get(i), i));
        this.holdoverNanos = config.holdoverAfter().toNanos();
    }

    /**
     * @param prior a frequency estimate to start from (from the {@link DriftFile}), if any
     */
    public static TimeSync create(TimeSyncConfig config, DisciplinedClock clock, Optional<FrequencyEstimate> prior) {
        if (config.mode() instanceof SyncMode.Berkeley) {
            throw new IllegalArgumentException("Berkeley members are adjusted by the master (DisciplinedClock.adjust)");
        }
        return new TimeSync(config, clock, prior);
    }

    public DisciplinedClock clock() {
        return clock;
    }

    public TimeSyncConfig config() {
        return config;
    }

    /** The raw device-clock stamp for t1 (just before publishing) and t4 (first thing on arrival). */
    public long stampNanos() {
        return clock.deviceNanos();
    }

    /** What to do at device time {@code nowNanos}: send a request now, or wait (a reply may come first). */
    public synchronized PollAction nextAction(long nowNanos) {
        long wait = Long.MAX_VALUE;
        for (Track t : tracks) {
            PollAction a = t.scheduler.next(nowNanos);
            if (t.scheduler.takeBurstEnd()) endBurst(t, nowNanos); // ended by a timeout
            switch (a) {
                case PollAction.Send s -> { return s; }
                case PollAction.Wait w -> wait = Math.min(wait, w.untilNanos());
            }
        }
        return new PollAction.Wait(wait);
    }

    public PollAction nextAction(Instant now) {
        return nextAction(Nanos.epochNanos(now));
    }

    /**
     * Handles a reply.
     *
     * @param token   the correlation token of the {@link PollAction.Send} it answers
     * @param t1Nanos device time the request left (local stamp, or echoed by the server)
     * @param t2Nanos server time the request arrived
     * @param t3Nanos server time the reply left (Cristian and bounded: the server's time T)
     * @param server  what the server says about itself
     * @param t4Nanos device time the reply arrived
     */
    public synchronized Verdict onReply(long token, long t1Nanos, long t2Nanos, long t3Nanos, ServerInfo server,
                                        long t4Nanos) {
        int index = PollScheduler.serverIndexOf(token);
        if (index >= tracks.size()) return reject(RejectReason.UNKNOWN_CORRELATION, "token " + token);
        Track track = tracks.get(index);
        switch (track.scheduler.claim(token)) {
            case UNKNOWN -> { return reject(RejectReason.UNKNOWN_CORRELATION, "token " + token); }
            case STALE -> { return reject(RejectReason.STALE, "no exchange outstanding for token " + token); }
            case OK -> { }
        }
        Evaluation evaluation = evaluate(track, t1Nanos, t2Nanos, t3Nanos, server, t4Nanos);
        Verdict verdict = evaluation.verdict();
        PollScheduler.Quality quality = switch (verdict) {
            case Verdict.Accepted a -> evaluation.quality();
            case Verdict.Rejected r -> r.reason() == RejectReason.SPIKE ? PollScheduler.Quality.UNSETTLED
                    : PollScheduler.Quality.NONE;
        };
        track.scheduler.record(quality);
        if (track.scheduler.takeBurstEnd() && endBurst(track, t4Nanos) && verdict instanceof Verdict.Accepted a) {
            return new Verdict.Accepted(a.sample(), true);
        }
        return verdict;
    }

    /** A reply's verdict and, when accepted, how well it agreed with the prediction (for the poll interval). */
    private record Evaluation(Verdict verdict, PollScheduler.Quality quality) {
    }

    private Evaluation rejected(RejectReason reason, String detail) {
        return new Evaluation(reject(reason, detail), null);
    }

    private Evaluation evaluate(Track track, long t1, long t2, long t3, ServerInfo server, long t4) {
        if (!server.serverId().equals(track.serverId)) {
            return rejected(RejectReason.UNSELECTED_SERVER, server.serverId() + " answered for " + track.serverId);
        }
        Optional<RejectReason> strata = Strata.check(config.selfId(), server);
        if (strata.isPresent()) return rejected(strata.get(), "stratum " + server.stratum() + " chain " + server.referenceChain());
        long since = Nanos.epochNanos(config.plausibleSince());
        long until = since + 200L * 365 * 86_400 * Nanos.PER_SECOND; // saturates well below 2262
        for (long t : new long[] {t2, t3}) {
            if (t < since || t > until) return rejected(RejectReason.IMPLAUSIBLE_TIMESTAMP, "server time " + Nanos.toInstant(t));
        }
        if (t3 < t2) return rejected(RejectReason.SERVER_TIMESTAMPS_REVERSED, "t3 < t2");
        if (t4 < t1) return rejected(RejectReason.NEGATIVE_DELAY, "t4 < t1");
        if (t1 <= track.lastAcceptedT1) return rejected(RejectReason.STALE, "origin not newer than the last accepted");
        long roundTrip = (t4 - t1) - (t3 - t2);
        if (roundTrip < 0) return rejected(RejectReason.NEGATIVE_DELAY, "delay " + roundTrip + " ns");
        if (roundTrip > config.maxDelay().toNanos()) return rejected(RejectReason.DELAY_TOO_LARGE, "delay " + roundTrip + " ns");
        if (config.mode() instanceof SyncMode.Bounded b && roundTrip < 2 * b.minTransit().toNanos()) {
            return rejected(RejectReason.BOUNDS_VIOLATED, "round trip " + roundTrip + " ns < 2·Tmin");
        }
        Exchange exchange = config.mode().exchange(t1, t2, t3, t4);
        TimeSample sample = new TimeSample(server.serverId(), server.stratum(), exchange.offsetNanos(),
                exchange.delayNanos(), 2 * (clientPrecisionNanos + server.precisionNanos()), t4,
                server.rootDelayNanos(), server.rootDispersionNanos());

        boolean settled = false;
        Optional<ClockFilter.Estimate> predicted = track.estimate(t4);
        if (predicted.isPresent()) {
            long error = Math.abs(sample.offsetNanos() - predicted.get().offsetAtNowNanos());
            long allowance = sample.halfWidthNanos() + predicted.get().rootDistanceNanos();
            if (error > config.stepThreshold().toNanos() + allowance) {
                if (++track.spikes < config.spikeConfirmations()) {
                    return rejected(RejectReason.SPIKE, "offset " + error + " ns from prediction");
                }
                // a confirmed jump (the device or the server clock was stepped): start this server afresh
                track.filter.clear();
                track.burst.clear();
            } else {
                settled = predicted.get().window() > 0 && error <= 2 * sample.halfWidthNanos() + allowance;
            }
            track.spikes = 0;
        }
        track.lastAcceptedT1 = t1;
        track.lastInfo = server;
        track.burst.add(sample);
        accepted++;
        // the clock moves when the burst ends (endBurst)
        return new Evaluation(new Verdict.Accepted(sample, false),
                settled ? PollScheduler.Quality.SETTLED : PollScheduler.Quality.UNSETTLED);
    }

    /**
     * A burst is over: its exchanges but the first become one poll in the clock filter, and the clock follows the
     * filter. The first pays for waking the threads and cores of the outbound leg only; the others are nearly
     * symmetric. The clock moves once per burst, not per exchange: the exchanges of a burst share the machine's
     * state of the moment (a cold broker, a busy core), and the filter weighs them by their delays together.
     *
     * @return whether the clock was disciplined
     */
    private boolean endBurst(Track track, long nowNanos) {
        if (track.burst.isEmpty()) return false;
        track.filter.add(track.burst.size() > 1 ? track.burst.subList(1, track.burst.size()) : track.burst);
        track.burst.clear();
        return updateClock(nowNanos);
    }

    /** Selects across servers and disciplines the clock; false if selection refused. */
    private boolean updateClock(long nowNanos) {
        List<Intersection.Candidate> candidates = new ArrayList<>();
        Map<String, ClockFilter.Estimate> estimates = new HashMap<>();
        for (Track t : tracks) {
            Optional<ClockFilter.Estimate> f = t.estimate(nowNanos);
            if (f.isEmpty()) continue;
            candidates.add(new Intersection.Candidate(t.serverId, f.get().offsetAtNowNanos(),
                    f.get().rootDistanceNanos()));
            estimates.put(t.serverId, f.get());
        }
        Selection selection = Intersection.select(candidates);
        lastSelection = selection;
        if (!(selection instanceof Selection.Selected selected)) return false;
        double weightSum = 0, frequency = 0, tolerance = 0;
        for (String survivor : selected.survivors()) {
            ClockFilter.Estimate e = estimates.get(survivor);
            double w = 1 / Math.max(1e-12, e.toleranceRatio() * e.toleranceRatio());
            weightSum += w;
            frequency += w * e.frequencyRatio();
            tolerance += w * e.toleranceRatio();
        }
        Track peer = tracks.stream().filter(t -> t.serverId.equals(selected.systemPeer())).findFirst().orElseThrow();
        TimeSample peerSample = estimates.get(peer.serverId).sample();
        clock.discipline(nowNanos, selected.offsetNanos(), frequency / weightSum, tolerance / weightSum,
                selected.errorBoundNanos(), peer.lastInfo, peerSample.rootDelayNanos() + peerSample.delayNanos());
        return true;
    }

    private Verdict reject(RejectReason reason, String detail) {
        rejections.merge(reason, 1L, Long::sum);
        return new Verdict.Rejected(reason, detail);
    }

    /** Rejections so far, by reason. */
    public synchronized Map<RejectReason, Long> rejections() {
        return Collections.unmodifiableMap(new EnumMap<>(rejections));
    }

    public synchronized long acceptedSamples() {
        return accepted;
    }

    /** Exchanges that got no reply within the timeout, over all servers. */
    public synchronized long timeouts() {
        return tracks.stream().mapToLong(t -> t.scheduler.timeouts()).sum();
    }

    /** The frequency estimate worth checkpointing (to the {@link DriftFile}), once one has been measured. */
    public synchronized Optional<FrequencyEstimate> frequencyEstimate() {
        long now = clock.deviceNanos();
        if (tracks.stream().noneMatch(t -> t.measuredFrequency(now)) || !clock.synchronised()) return Optional.empty();
        return Optional.of(clock.frequency());
    }

    public synchronized Optional<Selection> lastSelection() {
        return Optional.ofNullable(lastSelection);
    }

    public synchronized SyncStatus status() {
        SyncStatus.State state;
        if (!clock.synchronised()) {
            state = SyncStatus.State.UNSYNCHRONISED;
        } else if (clock.deviceNanos() - clock.lastUpdateDeviceNanos() > holdoverNanos
                || lastSelection instanceof Selection.Refused) {
            state = SyncStatus.State.HOLDOVER;
        } else {
            state = SyncStatus.State.SYNCHRONISED;
        }
        return new SyncStatus(state, clock.lastOffset(), clock.errorBound(), clock.stratum(), clock.selectedServer(),
                clock.frequency(), Duration.ofNanos(tracks.get(0).scheduler.intervalNanos()), lastSelection());
    }

    /** The poll range in force: the configuration's, or the last {@link #pollRange(PollRange)}. */
    public synchronized PollRange pollRange() {
        PollScheduler first = tracks.get(0).scheduler;
        return new PollRange(Duration.ofNanos(first.minPollNanos()), Duration.ofNanos(first.maxPollNanos()));
    }

    /**
     * Polls every server within {@code range} from now on. Holdover is declared after no correction for three times the
     * longest poll, or the configured time if longer. The caller wakes the client ({@link TimeClient#pollRange}).
     */
    public synchronized void pollRange(PollRange range) {
        for (Track t : tracks) t.scheduler.retune(range.min().toNanos(), range.max().toNanos());
        holdoverNanos = Math.max(config.holdoverAfter().toNanos(), range.max().multipliedBy(3).toNanos());
    }

    /**
     * Starts a burst on every server now, except those already in one; the caller wakes the client
     * ({@link TimeClient#pollNow}). Returns how many servers start one.
     */
    public synchronized int pollNow(long nowNanos) {
        int started = 0;
        for (Track t : tracks) {
            if (t.scheduler.pollNow(nowNanos)) started++;
        }
        return started;
    }

    /** Poll interval of one server (for status and tests). */
    synchronized Duration pollInterval(String serverId) {
        return tracks.stream().filter(t -> t.serverId.equals(serverId)).findFirst()
                .map(t -> Duration.ofNanos(t.scheduler.intervalNanos())).orElseThrow();
    }
}
