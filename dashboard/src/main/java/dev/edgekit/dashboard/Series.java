package dev.edgekit.dashboard;

import java.util.Arrays;

/**
 * The bounded history of one channel: the last {@code rawCapacity} samples as they came, and min/max per
 * {@code bucketMillis} for the last {@code bucketCapacity} buckets (the long windows). Arrays grow by doubling up to
 * their capacity, so memory follows the history actually seen; a lower limit given with a sample (the dashboard's
 * memory budget shared by more channels) drops the oldest to fit. Samples out of time order go to the raw ring only if
 * newer than its newest (a late copy never rewrites the past). Thread-safe.
 */
final class Series {
    private final int rawCapacity;
    private final int bucketCapacity;
    private final long bucketMillis;
    // raw ring: times in epoch ms, values
    private long[] rawT;
    private double[] rawV;
    private int rawStart;
    private int rawSize;
    // bucket ring: start time, min, max
    private long[] bucketT;
    private double[] bucketMin;
    private double[] bucketMax;
    private int bucketStart;
    private int bucketSize;

    Series(int rawCapacity, int bucketCapacity, long bucketMillis) {
        if (rawCapacity < 2 || bucketCapacity < 2 || bucketMillis < 1) {
            throw new IllegalArgumentException("series capacities must be >= 2 and the bucket >= 1 ms");
        }
        this.rawCapacity = rawCapacity;
        this.bucketCapacity = bucketCapacity;
        this.bucketMillis = bucketMillis;
        rawT = new long[Math.min(16, rawCapacity)];
        rawV = new double[rawT.length];
        bucketT = new long[Math.min(4, bucketCapacity)];
        bucketMin = new double[bucketT.length];
        bucketMax = new double[bucketT.length];
    }

    /** Bytes a series holds at these capacities: a time and a value per raw sample, a time, min and max per bucket. */
    static long bytesAt(int rawCapacity, int bucketCapacity) {
        return 16L * rawCapacity + 24L * bucketCapacity;
    }

    synchronized void add(long timeMillis, double value) {
        add(timeMillis, value, rawCapacity, bucketCapacity);
    }

    /** As {@link #add(long, double)}, keeping at most {@code rawLimit} raw samples and {@code bucketLimit} buckets. */
    synchronized void add(long timeMillis, double value, int rawLimit, int bucketLimit) {
        if (!Double.isFinite(value) || (rawSize > 0 && timeMillis < rawT[index(rawStart, rawSize - 1, rawT.length)])) {
            return;
        }
        int rawCap = Math.max(2, Math.min(rawCapacity, rawLimit));
        int bucketCap = Math.max(2, Math.min(bucketCapacity, bucketLimit));
        if (rawT.length > rawCap) { // keep the newest
            int drop = Math.max(0, rawSize - rawCap);
            rawT = unroll(rawT, (rawStart + drop) % rawT.length, rawSize - drop, rawCap);
            rawV = unroll(rawV, (rawStart + drop) % rawV.length, rawSize - drop, rawCap);
            rawStart = 0;
            rawSize -= drop;
        }
        if (bucketT.length > bucketCap) {
            int drop = Math.max(0, bucketSize - bucketCap);
            int from = (bucketStart + drop) % bucketT.length;
            bucketT = unroll(bucketT, from, bucketSize - drop, bucketCap);
            bucketMin = unroll(bucketMin, from, bucketSize - drop, bucketCap);
            bucketMax = unroll(bucketMax, from, bucketSize - drop, bucketCap);
            bucketStart = 0;
            bucketSize -= drop;
        }
        if (rawSize == rawT.length && rawT.length < rawCap) {
            int n = Math.min(rawCap, rawT.length * 2);
            rawT = unroll(rawT, rawStart, rawSize, n);
            rawV = unroll(rawV, rawStart, rawSize, n);
            rawStart = 0;
        }
        if (rawSize < rawT.length) {
            int i = index(rawStart, rawSize++, rawT.length);
            rawT[i] = timeMillis;
            rawV[i] = value;
        } else {
            rawT[rawStart] = timeMillis;
            rawV[rawStart] = value;
            rawStart = (rawStart + 1) % rawT.length;
        }
        addToBucket(timeMillis, value, bucketCap);
    }

    private void addToBucket(long timeMillis, double value, int bucketCap) {
        long start = Math.floorDiv(timeMillis, bucketMillis) * bucketMillis;
        if (bucketSize > 0) {
            int last = index(bucketStart, bucketSize - 1, bucketT.length);
            if (bucketT[last] == start) {
                bucketMin[last] = Math.min(bucketMin[last], value);
                bucketMax[last] = Math.max(bucketMax[last], value);
                return;
            }
        }
        if (bucketSize == bucketT.length && bucketT.length < bucketCap) {
            int n = Math.min(bucketCap, bucketT.length * 2);
            bucketT = unroll(bucketT, bucketStart, bucketSize, n);
            bucketMin = unroll(bucketMin, bucketStart, bucketSize, n);
            bucketMax = unroll(bucketMax, bucketStart, bucketSize, n);
            bucketStart = 0;
        }
        int i;
        if (bucketSize < bucketT.length) {
            i = index(bucketStart, bucketSize++, bucketT.length);
        } else {
            i = bucketStart;
            bucketStart = (bucketStart + 1) % bucketT.length;
        }
        bucketT[i] = start;
        bucketMin[i] = value;
        bucketMax[i] = value;
    }

    /**
     * The samples in {@code [fromMillis, toMillis]}, at most {@code maxPoints}: raw samples where the raw ring reaches
     * back far enough, else the min/max buckets (each as two points, its min and its max), then reduced with
     * {@link Downsample#minMax} when still too many.
     */
    synchronized Downsample.Points window(long fromMillis, long toMillis, int maxPoints) {
        int n = 0;
        long[] t;
        double[] v;
        long oldestRaw = rawSize == 0 ? Long.MAX_VALUE : rawT[rawStart];
        if (oldestRaw <= fromMillis || bucketSize == 0) {
            t = new long[rawSize];
            v = new double[rawSize];
        } else {
            t = new long[rawSize + 2 * bucketSize];
            v = new double[t.length];
            for (int k = 0; k < bucketSize; k++) {
                int i = index(bucketStart, k, bucketT.length);
                long bucketEnd = bucketT[i] + bucketMillis;
                if (bucketEnd <= fromMillis || bucketT[i] > toMillis || bucketEnd > oldestRaw) {
                    continue;
                }
                t[n] = bucketT[i];
                v[n++] = bucketMin[i];
                t[n] = bucketT[i] + bucketMillis / 2;
                v[n++] = bucketMax[i];
            }
        }
        for (int k = 0; k < rawSize; k++) {
            int i = index(rawStart, k, rawT.length);
            if (rawT[i] >= fromMillis && rawT[i] <= toMillis) {
                t[n] = rawT[i];
                v[n++] = rawV[i];
            }
        }
        return Downsample.minMax(Arrays.copyOf(t, n), Arrays.copyOf(v, n), maxPoints);
    }

    synchronized int rawSize() {
        return rawSize;
    }

    synchronized int bucketSize() {
        return bucketSize;
    }

    private static int index(int start, int k, int length) {
        return (start + k) % length;
    }

    private static long[] unroll(long[] a, int start, int size, int capacity) {
        long[] b = new long[capacity];
        for (int k = 0; k < size; k++) {
            b[k] = a[index(start, k, a.length)];
        }
        return b;
    }

    private static double[] unroll(double[] a, int start, int size, int capacity) {
        double[] b = new double[capacity];
        for (int k = 0; k < size; k++) {
            b[k] = a[index(start, k, a.length)];
        }
        return b;
    }
}
