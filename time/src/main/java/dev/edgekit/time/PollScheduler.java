package dev.edgekit.time;

import java.util.random.RandomGenerator;

/**
 * The burst/poll state machine of one server, a pure function of the times it is given.
 *
 * <p>Each poll is a burst of {@code burstSize} back-to-back exchanges: the next request leaves as
 * soon as the previous reply arrives (or times out). Bursts start every {@code interval}, which
 * begins at {@code minPoll} and doubles after {@code settleBursts} consecutive bursts whose samples
 * all agreed with the prediction ("settled"), up to {@code maxPoll}; one unsettled sample (a jump,
 * a fresh start) drops it back to {@code minPoll}. Not thread-safe (owned by {@link TimeSync}).
 */
final class PollScheduler {
    enum Claim { OK, STALE, UNKNOWN }

    enum Quality { SETTLED, UNSETTLED, NONE }

    private final String serverId;
    private final int serverIndex;
    private long minPollNanos;
    private long maxPollNanos;
    private final long timeoutNanos;
    private final int burstSize;
    private final int settleBursts;

    private long intervalNanos;
    private boolean started;
    private long nextPollNanos;
    private long burstStartNanos;
    private int remainingInBurst;
    private boolean outstanding;
    private long outstandingSeq;
    private long deadlineNanos;
    private long lastIssuedSeq;
    private int settledBurstsInARow;
    private boolean burstSettled;
    private boolean burstUnsettled;
    private long timeouts;
    private boolean burstEnded;
    private final RandomGenerator jitter;

    PollScheduler(String serverId, int serverIndex, long minPollNanos, long maxPollNanos, long timeoutNanos,
                  int burstSize, int settleBursts) {
        this(serverId, serverIndex, minPollNanos, maxPollNanos, timeoutNanos, burstSize, settleBursts, null);
    }

    /**
     * @param jitter spreads each interval uniformly over ±10 % (null: exact intervals). Without it, devices that
     *               started together burst together for ever, and their requests queue at the server and the
     *               broker on the way in only: an asymmetric delay that no filter removes
     */
    PollScheduler(String serverId, int serverIndex, long minPollNanos, long maxPollNanos, long timeoutNanos,
                  int burstSize, int settleBursts, RandomGenerator jitter) {
        if (minPollNanos <= 0 || maxPollNanos < minPollNanos || timeoutNanos <= 0 || burstSize < 1 || settleBursts < 1) {
            throw new IllegalArgumentException("bad poll configuration");
        }
        this.serverId = serverId;
        this.serverIndex = serverIndex;
        this.minPollNanos = minPollNanos;
        this.maxPollNanos = maxPollNanos;
        this.timeoutNanos = timeoutNanos;
        this.burstSize = burstSize;
        this.settleBursts = settleBursts;
        this.intervalNanos = minPollNanos;
        this.jitter = jitter;
    }

    /** Tokens carry the server index in the top 16 bits and a sequence number below. */
    static long token(int serverIndex, long seq) {
        return ((long) serverIndex << 48) | seq;
    }

    static int serverIndexOf(long token) {
        return (int) (token >>> 48);
    }

    static long seqOf(long token) {
        return token & ((1L << 48) - 1);
    }

    PollAction next(long nowNanos) {
        if (outstanding) {
            if (nowNanos < deadlineNanos) return new PollAction.Wait(deadlineNanos);
            timeouts++;
            outstanding = false;
            if (remainingInBurst == 0) endBurst();
        }
        if (remainingInBurst == 0) {
            if (started && nowNanos < nextPollNanos) return new PollAction.Wait(nextPollNanos);
            started = true;
            remainingInBurst = burstSize;
            burstStartNanos = nowNanos;
            nextPollNanos = nowNanos + (jitter == null ? intervalNanos
                    : Math.round(intervalNanos * (0.9 + 0.2 * jitter.nextDouble())));
            burstSettled = false;
            burstUnsettled = false;
        }
        remainingInBurst--;
        outstanding = true;
        outstandingSeq = ++lastIssuedSeq;
        deadlineNanos = nowNanos + timeoutNanos;
        return new PollAction.Send(serverId, token(serverIndex, outstandingSeq));
    }

    /** Matches a reply's token with the outstanding exchange; only an OK claim may be used. */
    Claim claim(long token) {
        long seq = seqOf(token);
        if (serverIndexOf(token) != serverIndex || seq == 0 || seq > lastIssuedSeq) return Claim.UNKNOWN;
        if (!outstanding || seq != outstandingSeq) return Claim.STALE;
        outstanding = false;
        return Claim.OK;
    }

    /** Reports what the claimed reply turned out to be; adapts the interval at the end of a burst. */
    void record(Quality quality) {
        switch (quality) {
            case SETTLED -> burstSettled = true;
            case UNSETTLED -> burstUnsettled = true;
            case NONE -> { }
        }
        if (remainingInBurst == 0) endBurst();
    }

    private void endBurst() {
        burstEnded = true;
        if (burstUnsettled) {
            intervalNanos = minPollNanos;
            settledBurstsInARow = 0;
        } else if (burstSettled) {
            if (++settledBurstsInARow >= settleBursts) {
                intervalNanos = Math.min(maxPollNanos, intervalNanos * 2);
                settledBurstsInARow = 0;
            }
        }
        burstSettled = false;
        burstUnsettled = false;
    }

    /**
     * Takes a new range from now on (remote configuration): the interval is clamped into it, and a next burst that
     * the new range puts earlier is moved earlier (one that it puts later keeps its time: a settled clock backs off
     * on its own).
     */
    void retune(long newMinNanos, long newMaxNanos) {
        if (newMinNanos <= 0 || newMaxNanos < newMinNanos) {
            throw new IllegalArgumentException("bad poll range");
        }
        minPollNanos = newMinNanos;
        maxPollNanos = newMaxNanos;
        intervalNanos = Math.max(newMinNanos, Math.min(newMaxNanos, intervalNanos));
        if (started) {
            nextPollNanos = Math.min(nextPollNanos, burstStartNanos + intervalNanos);
        }
    }

    /**
     * Starts the next burst now instead of at its time (an operator's "sync now", as chrony's {@code burst}): false
     * when a burst is already under way, which this one would only repeat.
     */
    boolean pollNow(long nowNanos) {
        if (outstanding || remainingInBurst > 0) {
            return false;
        }
        if (started) {
            nextPollNanos = Math.min(nextPollNanos, nowNanos);
        }
        return true;
    }

    long minPollNanos() {
        return minPollNanos;
    }

    long maxPollNanos() {
        return maxPollNanos;
    }

    long intervalNanos() {
        return intervalNanos;
    }

    long timeouts() {
        return timeouts;
    }

    /** True once after each burst has ended, by its last reply or by a timeout. */
    boolean takeBurstEnd() {
        boolean ended = burstEnded;
        burstEnded = false;
        return ended;
    }
}
