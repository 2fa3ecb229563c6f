package dev.edgekit.time;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The device clock corrected by the estimated offset and frequency error: the clock the agent
 * stamps telemetry with and serves to others.
 *
 * <p>Reading = device + correction(device), where the correction grows at the estimated frequency
 * correction and, while a phase error is pending, slews towards it at no more than
 * {@code maxSlewPpm} (500 ppm, as ntpd/chrony). A new estimate is stepped to at once only on the
 * first correction or when it is further than {@code stepThreshold} (128 ms) away; otherwise it is
 * slewed. After the first step, readings never decrease: if the device clock jumps back, or a
 * later step goes backwards, the clock stands still until it catches up (and the error bound
 * says so).
 *
 * <p>The error bound at a reading is: the bound given with the last correction (root distance of
 * the selection) + growth since then at the frequency tolerance + the phase still to be slewed +
 * the device's read precision + any hold (standing still). Without updates (holdover) the last
 * frequency correction stays and the bound keeps growing. Reads are lock-free and thread-safe;
 * updates are serialised.
 */
public final class DisciplinedClock implements InstantSource {
    /** A reading and its error bound, taken together. {@code errorBoundNanos} is Long.MAX_VALUE if never synchronised. */
    public record Reading(long epochNanos, long errorBoundNanos) {
        public Instant instant() {
            return Nanos.toInstant(epochNanos);
        }

        public Optional<Duration> errorBound() {
            return errorBoundNanos == Long.MAX_VALUE ? Optional.empty() : Optional.of(Duration.ofNanos(errorBoundNanos));
        }
    }

    /** Readings after the first step never go below the last one returned. */
    private static final class Floor {
        final AtomicLong lastNanos = new AtomicLong(Long.MIN_VALUE);
    }

    private record State(boolean synced, long anchorDeviceNanos, long anchorCorrectionNanos, double frequencyRatio,
                         long pendingPhaseNanos, long boundAtAnchorNanos, double toleranceRatio, int stratum,
                         String selectedServer, long rootDelayNanos, List<String> sourceChain, Floor floor,
                         long lastOffsetNanos, long lastUpdateDeviceNanos, long steps) {}

    private final DeviceClock device;
    private final long stepThresholdNanos;
    private final double maxSlewRatio;
    private final long devicePrecisionNanos;
    private volatile State state;

    private DisciplinedClock(DeviceClock device, Duration stepThreshold, double maxSlewPpm, State initial) {
        this.device = Objects.requireNonNull(device, "device");
        if (stepThreshold.isNegative() || maxSlewPpm <= 0 || maxSlewPpm > 100_000) {
            throw new IllegalArgumentException("bad step threshold or slew rate");
        }
        this.stepThresholdNanos = stepThreshold.toNanos();
        this.maxSlewRatio = Nanos.ppm(maxSlewPpm);
        this.devicePrecisionNanos = device.precision().toNanos();
        this.state = initial;
    }

    /** An unsynchronised clock over {@code device}; corrections come from {@link TimeSync} or {@link #adjust}. */
    public static DisciplinedClock over(DeviceClock device, Duration stepThreshold, double maxSlewPpm) {
        return new DisciplinedClock(device, stepThreshold, maxSlewPpm,
                new State(false, 0, 0, 0, 0, Long.MAX_VALUE, 0, ServerInfo.UNSYNCHRONISED, null, 0, List.of(),
                        new Floor(), 0, 0, 0));
    }

    /** Defaults: step threshold 128 ms, maximum slew 500 ppm. */
    public static DisciplinedClock over(DeviceClock device) {
        return over(device, Duration.ofMillis(128), 500);
    }

    /**
     * A stratum-1 clock: {@code trusted} is itself a reference (a host disciplined by chrony or GPS),
     * believed within {@code claimedError}; it serves at stratum 1 and is never corrected.
     */
    public static DisciplinedClock reference(DeviceClock trusted, Duration claimedError) {
        return new DisciplinedClock(trusted, Duration.ofMillis(128), 500,
                new State(true, 0, 0, 0, 0, claimedError.toNanos(), 0, 1, null, 0, List.of(), new Floor(), 0, 0, 0));
    }

    @Override
    public Instant instant() {
        return Nanos.toInstant(epochNanos());
    }

    public long epochNanos() {
        return read().epochNanos();
    }

    /**
     * The disciplined reading that corresponds to an earlier raw device reading (no monotonic floor):
     * lets a server take t2 from an arrival stamped on the device clock first thing on arrival
     * ({@code Inbound.receivedAt}) and still answer in disciplined time.
     */
    public long epochNanosAt(long deviceNanos) {
        return deviceNanos + correctionAt(state, deviceNanos);
    }

    /** The raw device clock, for exchange timestamps (t1, t4): samples are measured against it. */
    public long deviceNanos() {
        return device.epochNanos();
    }

    public DeviceClock device() {
        return device;
    }

    /** A reading and its error bound from the same device-clock read. */
    public Reading read() {
        State s = state;
        long d = device.epochNanos();
        long t = d + correctionAt(s, d);
        if (!s.synced) return new Reading(t, Long.MAX_VALUE);
        long out = s.floor.lastNanos.accumulateAndGet(t, Math::max);
        long bound = boundAt(s, d);
        return new Reading(out, Nanos.saturatedAdd(bound, out - t));
    }

    /** The current error bound; Long.MAX_VALUE if never synchronised. */
    public long errorBoundNanos() {
        return read().errorBoundNanos();
    }

    public Optional<Duration> errorBound() {
        return read().errorBound();
    }

    public boolean synchronised() {
        return state.synced;
    }

    /** Our stratum: the selected source's + 1 (1 for a reference clock, 16 when unsynchronised). */
    public int stratum() {
        return state.stratum;
    }

    public Optional<String> selectedServer() {
        return Optional.ofNullable(state.selectedServer);
    }

    /** Applied frequency correction as an oscillator drift estimate. */
    public FrequencyEstimate frequency() {
        State s = state;
        return FrequencyEstimate.fromCorrectionRatio(s.frequencyRatio, s.toleranceRatio);
    }

    /** Disciplined − estimated true time at the last correction (what a heartbeat reports as offset). */
    public Duration lastOffset() {
        return Duration.ofNanos(state.lastOffsetNanos);
    }

    /** Device-clock time of the last correction (0 for a {@link #reference} clock, which is never corrected). */
    public long lastUpdateDeviceNanos() {
        return state.lastUpdateDeviceNanos;
    }

    /** Number of steps taken (the first correction included). */
    public long steps() {
        return state.steps;
    }

    /** Phase still to be slewed away, at device time {@code deviceNanos}. */
    long pendingPhaseNanos(long deviceNanos) {
        State s = state;
        return s.pendingPhaseNanos - slewDone(s, deviceNanos);
    }

    /** What to put in a reply when serving time: our stratum, root delay/dispersion and chain. */
    public ServerInfo serverInfo(String selfId) {
        State s = state;
        if (!s.synced) return new ServerInfo(selfId, ServerInfo.UNSYNCHRONISED, 0, 0, devicePrecisionNanos, List.of(selfId));
        long bound = read().errorBoundNanos();
        List<String> chain = new ArrayList<>();
        chain.add(selfId);
        chain.addAll(s.sourceChain);
        return new ServerInfo(selfId, s.stratum, s.rootDelayNanos, Math.max(0, bound - s.rootDelayNanos / 2),
                devicePrecisionNanos, chain);
    }

    /**
     * Moves the clock towards a new estimate (called by {@link TimeSync}).
     *
     * @param deviceNanos           device time the estimate refers to
     * @param targetCorrectionNanos estimated true − device at {@code deviceNanos}
     * @param frequencyRatio        frequency correction to apply from now on (ns/ns)
     * @param toleranceRatio        its uncertainty (ns/ns)
     * @param boundNanos            error bound of the target at {@code deviceNanos}
     * @param source                the system peer (stratum, id, root delay, chain)
     */
    synchronized void discipline(long deviceNanos, long targetCorrectionNanos, double frequencyRatio,
                                 double toleranceRatio, long boundNanos, ServerInfo source, long rootDelayNanos) {
        State s = state;
        long current = s.synced ? correctionAt(s, deviceNanos) : 0;
        long residual = targetCorrectionNanos - current;
        boolean step = !s.synced || Math.abs(residual) > stepThresholdNanos;
        double freq = Math.max(-maxSlewRatio, Math.min(maxSlewRatio, frequencyRatio));
        state = new State(true, deviceNanos, step ? targetCorrectionNanos : current, freq,
                step ? 0 : residual, boundNanos, toleranceRatio, Strata.servingStratum(source.stratum()),
                source.serverId(), rootDelayNanos, source.referenceChain(), s.synced ? s.floor : new Floor(),
                -residual, deviceNanos, s.steps + (step ? 1 : 0));
    }

    /**
     * Applies a Berkeley adjustment: shift the clock by {@code adjustment} (slewed, or stepped if
     * beyond the step threshold or the first correction). The error bound becomes {@code uncertainty}:
     * Berkeley makes members agree with each other, not with a reference.
     */
    public synchronized void adjust(String masterId, Duration adjustment, Duration uncertainty) {
        State s = state;
        long d = device.epochNanos();
        long current = s.synced ? correctionAt(s, d) : 0;
        long pendingLeft = s.synced ? s.pendingPhaseNanos - slewDone(s, d) : 0;
        long residual = pendingLeft + adjustment.toNanos();
        boolean step = !s.synced || Math.abs(residual) > stepThresholdNanos;
        // a Berkeley member is synchronised to its peers, not to a reference: stratum 15 (may not serve)
        state = new State(true, d, step ? current + residual : current, s.frequencyRatio, step ? 0 : residual,
                uncertainty.toNanos(), s.toleranceRatio, Strata.MAX_STRATUM, masterId, 0, List.of(masterId),
                s.synced ? s.floor : new Floor(), -residual, d, s.steps + (step ? 1 : 0));
    }

    private long correctionAt(State s, long d) {
        long dt = d - s.anchorDeviceNanos;
        return s.anchorCorrectionNanos + Nanos.scale(s.frequencyRatio, dt) + slewDone(s, d);
    }

    private long slewDone(State s, long d) {
        long p = s.pendingPhaseNanos;
        if (p == 0) return 0;
        long dt = d - s.anchorDeviceNanos;
        if (dt <= 0) return 0;
        long max = Nanos.scale(maxSlewRatio, dt);
        return p > 0 ? Math.min(p, max) : -Math.min(-p, max);
    }

    private long boundAt(State s, long d) {
        long dt = Math.max(0, d - s.anchorDeviceNanos);
        long pending = Math.abs(s.pendingPhaseNanos - slewDone(s, d));
        long b = Nanos.saturatedAdd(s.boundAtAnchorNanos, Nanos.scale(s.toleranceRatio, dt));
        return Nanos.saturatedAdd(b, pending + devicePrecisionNanos);
    }

    @Override
    public String toString() {
        State s = state;
        return "DisciplinedClock[synced=" + s.synced + ", stratum=" + s.stratum + ", server=" + s.selectedServer
                + ", drift=" + frequency().driftPpm() + "ppm]";
    }
}
