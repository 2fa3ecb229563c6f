package dev.edgekit.time;

import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The clock filter of one server, after chrony's source statistics: the exchanges of the last {@code capacity}
 * polls, through which a weighted least-squares line of offset over device time gives both the offset "now" and
 * the frequency correction. A poll's samples are its burst's exchanges but the first, which pays for waking the
 * threads and cores of the outbound leg only (a bias of +50–250 µs here that no weighting removes). A sample's
 * weight is 1 / (λ − λ_min + c)², λ its half-width (δ/2 + dispersion) and c the larger of 20 µs and a quarter of
 * the median λ − λ_min: the least-delay samples dominate, as in NTP's filter, and the many nearly as good average
 * out their asymmetric-delay noise, which a single pick keeps until it ages out. The line uses the longest window
 * of newest polls whose residuals pass a runs test (as chrony does): a clock whose frequency wanders bends the
 * offsets away from a line, the polls' residuals then run in long same-signed stretches, and the window shortens.
 * Until the line's slope is more certain than the prior frequency (from the drift file, or none), the estimate is
 * the weighted mean of the samples carried forward at the prior frequency.
 *
 * <p>Replayed from the same recorded exchanges through Mosquitto ({@code bench sync --samples-csv}; 1 and 50
 * devices, 90 s and 5 min runs): residual p99 24–76 µs for the weighted mean of burst winners at a separately
 * regressed frequency (what this class did before), 12–33 µs for a line through the burst winners, 8–71 µs (mean
 * of 10 runs 24 µs) for a line through every exchange but the first with c = 20 µs, 9–47 µs (mean 21 µs) with c
 * scaled as above. Not thread-safe (owned by {@link TimeSync}).
 */
final class ClockFilter {
    /**
     * The least c: distances within it of the best count nearly as much as the best (scheduling noise on
     * loopback). c is a quarter of the median excess where that is more, so it scales with the network's jitter.
     */
    static final long DISTANCE_NOISE_NANOS = 20_000;
    /** Fewer polls than this are never fitted with a line. */
    static final int MIN_WINDOW = 3;

    private final int capacity;
    private final Deque<List<TimeSample>> polls = new ArrayDeque<>();
    private Optional<Line> line = Optional.empty(); // fitted once per change: TimeSync asks at every exchange
    private boolean fitted;

    /** @param capacity polls kept */
    ClockFilter(int capacity) {
        if (capacity < MIN_WINDOW) throw new IllegalArgumentException("capacity < " + MIN_WINDOW);
        this.capacity = capacity;
    }

    /** Adds one poll's samples (a burst's exchanges but the first), oldest first. */
    void add(List<TimeSample> poll) {
        if (poll.isEmpty()) throw new IllegalArgumentException("empty poll");
        if (polls.size() == capacity) polls.removeFirst();
        polls.addLast(List.copyOf(poll));
        fitted = false;
    }

    void clear() {
        polls.clear();
        fitted = false;
    }

    /** Polls held. */
    int count() {
        return polls.size();
    }

    /**
     * The filter's estimate at device time {@code nowNanos}.
     *
     * @param priorFrequencyRatio frequency correction to use until the line's is more certain (ns/ns)
     * @param priorToleranceRatio uncertainty of that prior (ns/ns)
     * @param wanderRatio         how far the clock's frequency may stray from a constant (ns/ns): added to a fitted
     *                            slope's uncertainty, and to the bound of every sample by its age
     */
    Optional<Estimate> estimate(long nowNanos, double priorFrequencyRatio, double priorToleranceRatio,
                                double wanderRatio) {
        if (polls.isEmpty()) return Optional.empty();
        if (!fitted) {
            line = fitLongestRandomWindow(new ArrayList<>(polls));
            fitted = true;
        }
        if (line.isPresent()) {
            double tolerance = 3 * line.get().slopeStdErr() + wanderRatio;
            if (tolerance < priorToleranceRatio) return Optional.of(line.get().at(nowNanos, tolerance, wanderRatio));
        }
        List<TimeSample> samples = polls.stream().flatMap(List::stream).toList();
        return Optional.of(weightedMean(samples, nowNanos, priorFrequencyRatio, priorToleranceRatio));
    }

    /** The line through the longest window of newest polls whose residuals look random. */
    private static Optional<Line> fitLongestRandomWindow(List<List<TimeSample>> all) {
        Line fitted = null;
        for (int window = all.size(); window >= MIN_WINDOW; window = Math.min(window - 1, window * 3 / 4)) {
            fitted = Line.fit(all.subList(all.size() - window, all.size())).orElse(null);
            if (fitted != null && fitted.residualsLookRandom()) break;
        }
        return Optional.ofNullable(fitted);
    }

    private static Estimate weightedMean(List<TimeSample> all, long nowNanos, double frequencyRatio,
                                         double toleranceRatio) {
        TimeSample best = leastDistance(all, nowNanos, toleranceRatio);
        long bestDistance = distance(best, nowNanos, toleranceRatio);
        long[] excesses = new long[all.size()];
        for (int i = 0; i < excesses.length; i++) {
            excesses[i] = distance(all.get(i), nowNanos, toleranceRatio) - bestDistance;
        }
        long noise = noiseScale(excesses);
        double weightSum = 0, offsetSum = 0, rootDistanceSum = 0;
        for (int i = 0; i < excesses.length; i++) {
            TimeSample s = all.get(i);
            double excess = excesses[i] + noise;
            double w = 1 / (excess * excess);
            weightSum += w;
            // relative to the best sample's offset: keeps the doubles exact at 10 s offsets
            offsetSum += w * (s.offsetNanos() - best.offsetNanos() + frequencyRatio * (nowNanos - s.localNanos()));
            rootDistanceSum += w * s.rootDistanceNanos(nowNanos, toleranceRatio);
        }
        // |Σwᵢθᵢ/Σwᵢ − θ| ≤ Σwᵢ|θᵢ − θ|/Σwᵢ ≤ Σwᵢλᵢ/Σwᵢ: the weighted mean of the root distances bounds the mean
        return new Estimate(best, best.offsetNanos() + Math.round(offsetSum / weightSum),
                Math.round(rootDistanceSum / weightSum), frequencyRatio, toleranceRatio, 0);
    }

    /** c for these excesses over the best distance (see the class comment). */
    static long noiseScale(long[] excesses) {
        long[] sorted = excesses.clone();
        Arrays.sort(sorted);
        return Math.max(DISTANCE_NOISE_NANOS, sorted[sorted.length / 2] / 4);
    }

    private static TimeSample leastDistance(List<TimeSample> all, long nowNanos, double toleranceRatio) {
        TimeSample best = null;
        long bestDistance = Long.MAX_VALUE;
        for (TimeSample s : all) { // oldest first: "<=" prefers the newer of equals
            long distance = distance(s, nowNanos, toleranceRatio);
            if (distance <= bestDistance) {
                bestDistance = distance;
                best = s;
            }
        }
        return best;
    }

    private static long distance(TimeSample s, long nowNanos, double toleranceRatio) {
        return s.halfWidthNanos() + Nanos.scale(toleranceRatio, Math.max(0, nowNanos - s.localNanos()));
    }

    /**
     * A weighted least-squares line of offset over device time through the samples of {@code polls}, the newest
     * last. Positions and offsets are taken relative to the newest sample, which keeps the doubles exact at 10 s
     * offsets.
     */
    private record Line(List<TimeSample> samples, int polls, double[] weights, double meanX, double meanY,
                        double slope, double sxx, double slopeStdErr, double[] pollResiduals) {
        static Optional<Line> fit(List<List<TimeSample>> polls) {
            List<TimeSample> samples = polls.stream().flatMap(List::stream).toList();
            int n = samples.size();
            TimeSample last = samples.get(n - 1);
            long minHalfWidth = Long.MAX_VALUE;
            for (TimeSample s : samples) minHalfWidth = Math.min(minHalfWidth, s.halfWidthNanos());
            long[] excesses = new long[n];
            for (int i = 0; i < n; i++) excesses[i] = samples.get(i).halfWidthNanos() - minHalfWidth;
            long noise = noiseScale(excesses);
            double[] w = new double[n];
            double sw = 0, sx = 0, sy = 0;
            for (int i = 0; i < n; i++) {
                TimeSample s = samples.get(i);
                double excess = excesses[i] + noise;
                w[i] = 1 / (excess * excess);
                sw += w[i];
                sx += w[i] * x(s, last);
                sy += w[i] * y(s, last);
            }
            double mx = sx / sw, my = sy / sw, sxx = 0, sxy = 0;
            for (int i = 0; i < n; i++) {
                double dx = x(samples.get(i), last) - mx;
                sxx += w[i] * dx * dx;
                sxy += w[i] * dx * (y(samples.get(i), last) - my);
            }
            if (!(sxx > 0) || n < 3) return Optional.empty(); // all at one instant
            double slope = sxy / sxx;
            // each poll's weighted mean residual, for the runs test: the exchanges of one burst share the machine's
            // state of the moment, so a burst, not an exchange, is one independent observation
            double[] pollResiduals = new double[polls.size()];
            double rss = 0;
            for (int p = 0, i = 0; p < polls.size(); p++) {
                double pollWeight = 0, pollResidual = 0;
                for (int k = 0; k < polls.get(p).size(); k++, i++) {
                    double r = y(samples.get(i), last) - (my + slope * (x(samples.get(i), last) - mx));
                    rss += w[i] * r * r;
                    pollWeight += w[i];
                    pollResidual += w[i] * r;
                }
                pollResiduals[p] = pollResidual / pollWeight;
            }
            // variance of a unit-weight sample: from the residuals, floored at a uniform error within the best
            // sample's ±λ, since a handful of points can fit a line by chance; the slope's standard error then
            // counts polls, not exchanges, as independent observations
            double meanWeight = sw / n;
            double residualVariance = rss / (n - 2) / meanWeight;
            double floorVariance = (double) minHalfWidth * minHalfWidth / 3;
            double slopeStdErr = Math.sqrt(Math.max(residualVariance, floorVariance) / (sxx / meanWeight)
                    * n / polls.size());
            return Optional.of(new Line(samples, polls.size(), w, mx, my, slope, sxx, slopeStdErr, pollResiduals));
        }

        private static double x(TimeSample s, TimeSample last) {
            return s.localNanos() - last.localNanos();
        }

        private static double y(TimeSample s, TimeSample last) {
            return s.offsetNanos() - last.offsetNanos();
        }

        /**
         * Wald–Wolfowitz runs test on the signs of the polls' residuals: too few runs (long same-signed stretches)
         * at the 5 % level means the offsets bend away from a line.
         */
        boolean residualsLookRandom() {
            int n = pollResiduals.length, positive = 0, runs = 1;
            for (int i = 0; i < n; i++) {
                if (pollResiduals[i] >= 0) positive++;
                if (i > 0 && (pollResiduals[i] >= 0) != (pollResiduals[i - 1] >= 0)) runs++;
            }
            int negative = n - positive;
            if (positive == 0 || negative == 0) return true; // only when every residual is 0: a perfect line
            double expected = 2.0 * positive * negative / n + 1;
            double variance = (expected - 1) * (expected - 2) / (n - 1);
            return runs >= expected - 1.645 * Math.sqrt(variance);
        }

        /**
         * The line's offset at {@code nowNanos} and two bounds on its error, of which the tighter is reported. Both
         * hold whatever each sample's error within its root distance λᵢ, for a true offset whose frequency strays
         * by at most {@code wander} from some constant f₀ (so within wander·|t − now| of a line through it now).
         * <ul>
         * <li>The offset is a linear combination Σaᵢθᵢ of the samples' offsets (Σaᵢ = 1, Σaᵢxᵢ = now, so a true
         * offset that is a line comes out exact): its error is within Σ|aᵢ|(λᵢ + wander·|now − xᵢ|). Σ|aᵢ| is
         * about 2 when the line is extrapolated from a window of minutes, which makes this the wider bound in
         * steady state.</li>
         * <li>The slope is a combination Σβᵢθᵢ too (Σβᵢ = 0, Σβᵢxᵢ = 1), so |slope − f₀| ≤ Δ = Σ|βᵢ|(λᵢ +
         * wander·|now − xᵢ|); carried from any sample j along the slope, the error now is within sample j's
         * distance from the line + λⱼ + (Δ + wander)·ageⱼ. The least over the samples is a bound.</li>
         * </ul>
         */
        Estimate at(long nowNanos, double tolerance, double wander) {
            TimeSample last = samples.get(samples.size() - 1);
            double xNow = nowNanos - last.localNanos();
            double lineNow = meanY + slope * (xNow - meanX); // relative to the newest sample's offset
            double sw = 0;
            for (double w : weights) sw += w;
            double combinationBound = 0, slopeError = 0;
            TimeSample best = null;
            long bestDistance = Long.MAX_VALUE;
            for (int i = 0; i < weights.length; i++) {
                TimeSample s = samples.get(i);
                double dx = x(s, last) - meanX;
                long distance = s.rootDistanceNanos(nowNanos, wander);
                combinationBound += Math.abs(weights[i] * (1 / sw + (xNow - meanX) * dx / sxx)) * distance;
                slopeError += Math.abs(weights[i] * dx / sxx) * distance;
                long tolerated = s.rootDistanceNanos(nowNanos, tolerance);
                if (tolerated <= bestDistance) {
                    bestDistance = tolerated;
                    best = s;
                }
            }
            double sampleBound = Double.MAX_VALUE;
            for (TimeSample s : samples) {
                double age = Math.max(0, xNow - x(s, last));
                double carried = y(s, last) + slope * (xNow - x(s, last));
                sampleBound = Math.min(sampleBound, Math.abs(lineNow - carried)
                        + s.rootDistanceNanos(s.localNanos(), 0) + (slopeError + wander) * age);
            }
            long offset = last.offsetNanos() + Math.round(lineNow);
            long bound = Math.round(Math.ceil(Math.min(combinationBound, sampleBound)));
            return new Estimate(best, offset, bound, slope, tolerance, polls);
        }
    }

    /**
     * The estimate.
     *
     * @param sample            the least-distance sample now (what NTP's filter would pick)
     * @param offsetAtNowNanos  estimated server − device offset at the selection time
     * @param rootDistanceNanos bound on that estimate's error from the reference
     * @param frequencyRatio    the frequency correction it was made with (d offset / d device time, ns/ns)
     * @param toleranceRatio    that frequency's uncertainty (ns/ns)
     * @param window            polls in the fitted line; 0 when it is the weighted mean at the prior frequency
     */
    record Estimate(TimeSample sample, long offsetAtNowNanos, long rootDistanceNanos, double frequencyRatio,
                    double toleranceRatio, int window) {}
}
