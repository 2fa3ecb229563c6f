package dev.edgekit.protocol.delivery;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Per device: the highest seq seen, the lowest accepted (numbers below it are not gaps), and two ring bitmaps
 * over (highest - window, highest]: seen, and already reported missing. A slot is cleared when its number falls
 * out of the window, so the slot is clean when the number {@code window} higher enters.
 */
final class WindowedDeduplicator implements Deduplicator {
    private final int window;
    private final GapListener gaps;
    private final Map<String, Stream> streams = new HashMap<>();

    WindowedDeduplicator(int window, GapListener gaps) {
        if (window <= 0) {
            throw new IllegalArgumentException("window must be positive: " + window);
        }
        this.window = window;
        this.gaps = Objects.requireNonNull(gaps, "gaps");
    }

    @Override
    public synchronized Verdict accept(String device, long seq) {
        Objects.requireNonNull(device, "device");
        Stream s = streams.get(device);
        if (s == null) {
            s = new Stream(window, seq);
            streams.put(device, s);
            return Verdict.FRESH;
        }
        return s.accept(device, seq);
    }

    @Override
    public synchronized void settle(String device) {
        Stream s = streams.get(device);
        if (s != null) {
            s.settle(device);
        }
    }

    @Override
    public synchronized Optional<SequenceStats> stats(String device) {
        Stream s = streams.get(device);
        return s == null ? Optional.empty() : Optional.of(s.stats());
    }

    @Override
    public synchronized void forget(String device) {
        streams.remove(device);
    }

    private final class Stream {
        private final long[] seen;
        private final long[] reported;
        private final int size;
        private long highest;
        private long floor;
        private long fresh = 1;
        private long duplicates;
        private long late;
        private long missing;
        private long recovered;

        Stream(int size, long first) {
            this.size = size;
            this.seen = new long[(size + 63) / 64];
            this.reported = new long[(size + 63) / 64];
            this.highest = first;
            this.floor = first;
            set(seen, first);
        }

        Verdict accept(String device, long seq) {
            if (seq > highest) {
                slideTo(device, seq);
                set(seen, seq);
                fresh++;
                return Verdict.FRESH;
            }
            if (seq <= highest - size) {
                late++;
                return Verdict.LATE;
            }
            if (get(seen, seq)) {
                duplicates++;
                return Verdict.DUPLICATE;
            }
            set(seen, seq);
            fresh++;
            if (get(reported, seq)) {
                recovered++;
            }
            if (seq < floor) {
                floor = seq;
            }
            return Verdict.FRESH;
        }

        /** Moves the window up to end at {@code top}, reporting the unseen numbers that fall out of it. */
        private void slideTo(String device, long top) {
            long oldLow = highest - size;           // exclusive
            long newLow = top - size;               // exclusive: numbers <= newLow leave the window
            long leaveEnd = Math.min(highest, newLow);
            long runStart = Long.MIN_VALUE;
            for (long p = Math.max(oldLow + 1, floor); p <= leaveEnd; p++) {
                boolean hole = !get(seen, p) && !get(reported, p);
                if (hole && runStart == Long.MIN_VALUE) {
                    runStart = p;
                } else if (!hole && runStart != Long.MIN_VALUE) {
                    report(device, runStart, p - 1);
                    runStart = Long.MIN_VALUE;
                }
            }
            for (long p = oldLow + 1; p <= leaveEnd; p++) {
                clear(seen, p);
                clear(reported, p);
            }
            if (newLow > highest) { // jumped past the whole window: everything in between never came
                if (runStart == Long.MIN_VALUE) {
                    runStart = highest + 1;
                }
                report(device, runStart, newLow);
            } else if (runStart != Long.MIN_VALUE) {
                report(device, runStart, leaveEnd);
            }
            highest = top;
        }

        void settle(String device) {
            long runStart = Long.MIN_VALUE;
            for (long p = Math.max(highest - size + 1, floor); p <= highest + 1; p++) {
                boolean hole = p <= highest && !get(seen, p) && !get(reported, p);
                if (hole) {
                    set(reported, p);
                    if (runStart == Long.MIN_VALUE) {
                        runStart = p;
                    }
                } else if (runStart != Long.MIN_VALUE) {
                    report(device, runStart, p - 1);
                    runStart = Long.MIN_VALUE;
                }
            }
        }

        private void report(String device, long from, long to) {
            missing += to - from + 1;
            gaps.onGap(device, from, to);
        }

        /**
         * A word at a time: every set bit stands for a number in the window at or above {@code floor} (bits are
         * cleared as their numbers leave the window, and nothing below {@code floor} is ever set), so the holes are
         * the numbers there less the bits set. Read for every message a registry takes.
         */
        SequenceStats stats() {
            long inWindow = highest - Math.max(highest - size + 1, floor) + 1;
            long present = 0;
            for (int i = 0; i < seen.length; i++) {
                present += Long.bitCount(seen[i] | reported[i]);
            }
            return new SequenceStats(fresh, duplicates, late, missing, recovered, highest, (int) (inWindow - present));
        }

        private int slot(long seq) {
            return (int) Math.floorMod(seq, (long) size);
        }

        private boolean get(long[] bits, long seq) {
            int i = slot(seq);
            return (bits[i >>> 6] & (1L << (i & 63))) != 0;
        }

        private void set(long[] bits, long seq) {
            int i = slot(seq);
            bits[i >>> 6] |= 1L << (i & 63);
        }

        private void clear(long[] bits, long seq) {
            int i = slot(seq);
            bits[i >>> 6] &= ~(1L << (i & 63));
        }
    }
}
