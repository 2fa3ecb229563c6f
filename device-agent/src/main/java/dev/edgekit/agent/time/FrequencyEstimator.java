package dev.edgekit.agent.time;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Weighted least-squares regression of raw offset (server − device) over device time, over the most
 * recent filtered samples of one server. The slope is the frequency correction the disciplined clock
 * must apply (−drift/(1+drift)); its standard error gives the frequency uncertainty. Weights are
 * 1/halfWidth², so loose samples count less. Not thread-safe (owned by {@link TimeSync}).
 */
final class FrequencyEstimator {
    private final int capacity;
    private final Deque<Point> points = new ArrayDeque<>();

    FrequencyEstimator(int capacity) {
        if (capacity < 3) throw new IllegalArgumentException("need at least 3 points");
        this.capacity = capacity;
    }

    record Point(long deviceNanos, long offsetNanos, long halfWidthNanos) {}

    /**
     * @param slopeRatio        d offset / d device time (ns/ns)
     * @param slopeStdErrRatio  standard error of the slope (ns/ns)
     * @param points            number of points used
     * @param spanNanos         device time covered by the points
     */
    record Fit(double slopeRatio, double slopeStdErrRatio, int points, long spanNanos) {}

    void add(long deviceNanos, long offsetNanos, long halfWidthNanos) {
        if (!points.isEmpty() && deviceNanos <= points.peekLast().deviceNanos()) {
            return; // only newer points: an old sample chosen again by the filter adds nothing
        }
        if (points.size() == capacity) points.removeFirst();
        points.addLast(new Point(deviceNanos, offsetNanos, Math.max(1, halfWidthNanos)));
    }

    void clear() {
        points.clear();
    }

    int count() {
        return points.size();
    }

    Optional<Fit> fit() {
        int n = points.size();
        if (n < 2) return Optional.empty();
        Point last = points.peekLast();
        double sw = 0, sx = 0, sy = 0, meanHalfWidth = 0;
        for (Point p : points) {
            double w = weight(p);
            double x = (p.deviceNanos() - last.deviceNanos()) / 1e9; // seconds, relative: keeps doubles exact
            double y = p.offsetNanos() - last.offsetNanos();
            sw += w;
            sx += w * x;
            sy += w * y;
            meanHalfWidth += p.halfWidthNanos();
        }
        meanHalfWidth /= n;
        double mx = sx / sw, my = sy / sw;
        double sxx = 0, sxy = 0;
        for (Point p : points) {
            double w = weight(p);
            double dx = (p.deviceNanos() - last.deviceNanos()) / 1e9 - mx;
            double dy = (p.offsetNanos() - last.offsetNanos()) - my;
            sxx += w * dx * dx;
            sxy += w * dx * dy;
        }
        if (sxx <= 0) return Optional.empty();
        double slopeNanosPerSecond = sxy / sxx;
        // noise estimate: weighted residual variance, floored at a uniform error over ±halfWidth
        // (σ = hw/√3), since a handful of points can fit a line by chance
        double rss = 0;
        for (Point p : points) {
            double x = (p.deviceNanos() - last.deviceNanos()) / 1e9;
            double r = (p.offsetNanos() - last.offsetNanos()) - (my + slopeNanosPerSecond * (x - mx));
            rss += weight(p) * r * r;
        }
        double meanWeight = sw / n;
        double residualVariance = n > 2 ? rss / (n - 2) / meanWeight : 0;
        double floorVariance = meanHalfWidth * meanHalfWidth / 3;
        double sigma2 = Math.max(residualVariance, floorVariance);
        double stdErrNanosPerSecond = Math.sqrt(sigma2 / (sxx / meanWeight));
        long span = last.deviceNanos() - points.peekFirst().deviceNanos();
        return Optional.of(new Fit(slopeNanosPerSecond * 1e-9, stdErrNanosPerSecond * 1e-9, n, span));
    }

    private static double weight(Point p) {
        double hw = p.halfWidthNanos();
        return 1.0 / (hw * hw);
    }
}
