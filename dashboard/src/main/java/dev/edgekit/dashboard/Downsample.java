package dev.edgekit.dashboard;

/**
 * Min/max downsampling for plots: the samples are cut into {@code maxPoints / 2} buckets of equal count, and each
 * bucket keeps its smallest and its largest sample in time order, so spikes survive at any zoom (the envelope a
 * line chart would draw at one bucket per pixel). Pure.
 */
final class Downsample {
    private Downsample() {
    }

    /** Times in epoch milliseconds and their values, in time order. */
    record Points(long[] times, double[] values) {
        int size() {
            return times.length;
        }
    }

    static Points minMax(long[] t, double[] v, int maxPoints) {
        if (maxPoints < 2) {
            throw new IllegalArgumentException("maxPoints must be >= 2");
        }
        if (t.length <= maxPoints) {
            return new Points(t, v);
        }
        int buckets = maxPoints / 2;
        long[] ot = new long[buckets * 2];
        double[] ov = new double[buckets * 2];
        int n = 0;
        for (int b = 0; b < buckets; b++) {
            int from = (int) ((long) b * t.length / buckets);
            int to = (int) ((long) (b + 1) * t.length / buckets);
            int min = from;
            int max = from;
            for (int i = from + 1; i < to; i++) {
                if (v[i] < v[min]) {
                    min = i;
                }
                if (v[i] > v[max]) {
                    max = i;
                }
            }
            int first = Math.min(min, max);
            int second = Math.max(min, max);
            ot[n] = t[first];
            ov[n++] = v[first];
            if (second != first) {
                ot[n] = t[second];
                ov[n++] = v[second];
            }
        }
        return new Points(java.util.Arrays.copyOf(ot, n), java.util.Arrays.copyOf(ov, n));
    }
}
