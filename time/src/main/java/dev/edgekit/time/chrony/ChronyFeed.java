package dev.edgekit.time.chrony;

import dev.edgekit.time.DisciplinedClock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the disciplined clock to chronyd's {@code refclock SOCK} socket, one {@link SockSample} per {@link #offer()}
 * (the caller schedules it, e.g. every second). The clock's device clock must be the host's system clock (a real
 * board): the sample says "at system time d, true time is d + offset", with both read from one device-clock read.
 *
 * <p>A sample is withheld while the clock is unsynchronised or its error bound is above {@code maxErrorBound}, so
 * chronyd never learns a guess. The Unix datagram socket (the JDK has none; junixsocket) is non-blocking: a chronyd
 * that stopped reading costs a counted failure, never a stuck scheduler. "Accepting" means: the last offer sent a
 * sample, and a Unix datagram send succeeds only when a process has the socket bound — chronyd with this refclock.
 * Not thread-safe; call {@link #offer()} from one thread (reads of {@link #status()} are safe from any).
 */
public final class ChronyFeed implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChronyFeed.class);

    /** What the last offer did. */
    public enum State { STARTING, ACCEPTING, WITHHELD_UNSYNCHRONISED, WITHHELD_BOUND, NO_SOCKET, REFUSED }

    /**
     * @param state  the last offer's outcome
     * @param detail one line for people (and the heartbeat), e.g. "refused: connection refused"
     */
    public record Status(State state, String detail, long sent, long withheld, long failed) {
        public boolean accepting() {
            return state == State.ACCEPTING;
        }
    }

    private final DisciplinedClock clock;
    private final Path socket;
    private final long maxErrorBoundNanos;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong withheld = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile State state = State.STARTING;
    private volatile String detail = "starting";
    private AFUNIXDatagramChannel channel;
    private State lastLogged;

    public ChronyFeed(DisciplinedClock clock, Path socket, Duration maxErrorBound) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.socket = Objects.requireNonNull(socket, "socket");
        if (maxErrorBound.isNegative() || maxErrorBound.isZero()) {
            throw new IllegalArgumentException("time.chrony.maxErrorBound must be positive, not " + maxErrorBound);
        }
        this.maxErrorBoundNanos = maxErrorBound.toNanos();
    }

    /** Sends one sample if the clock is good enough; never throws for chronyd's absence. */
    public State offer() {
        if (!clock.synchronised()) {
            return withhold(State.WITHHELD_UNSYNCHRONISED, "withheld: clock unsynchronised");
        }
        long bound = clock.errorBoundNanos();
        if (bound > maxErrorBoundNanos) {
            return withhold(State.WITHHELD_BOUND, String.format(Locale.ROOT, "withheld: error bound %.1f µs > %.1f µs",
                    bound / 1e3, maxErrorBoundNanos / 1e3));
        }
        if (!Files.exists(socket)) {
            failed.incrementAndGet();
            return record(State.NO_SOCKET, "no socket " + socket + " (is chronyd running with the edgekit refclock?)");
        }
        long system = clock.deviceNanos();
        long trueTime = clock.epochNanosAt(system); // same read: the offset chrony wants is true − system
        byte[] sample = SockSample.encode(system, (trueTime - system) / 1e9, 0);
        try {
            if (channel == null) {
                channel = AFUNIXDatagramChannel.open();
                channel.configureBlocking(false);
            }
            int n = channel.send(ByteBuffer.wrap(sample), AFUNIXSocketAddress.of(socket));
            if (n != sample.length) {
                failed.incrementAndGet();
                return record(State.REFUSED, "refused: chronyd's socket queue is full");
            }
            sent.incrementAndGet();
            return record(State.ACCEPTING, "accepting");
        } catch (IOException | RuntimeException e) {
            failed.incrementAndGet();
            closeChannel();
            return record(State.REFUSED, "refused: " + e.getMessage());
        }
    }

    public Status status() {
        return new Status(state, detail, sent.get(), withheld.get(), failed.get());
    }

    public Path socket() {
        return socket;
    }

    private State withhold(State s, String why) {
        withheld.incrementAndGet();
        return record(s, why);
    }

    private State record(State s, String why) {
        detail = why;
        state = s;
        if (s != lastLogged) { // one line per change of state, not per sample
            lastLogged = s;
            if (s == State.ACCEPTING) log.info("chrony: feeding {} ({} sent so far)", socket, sent.get());
            else log.warn("chrony: {} ({})", why, socket);
        }
        return s;
    }

    private void closeChannel() {
        if (channel == null) return;
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("chrony: close: {}", e.toString());
        }
        channel = null;
    }

    @Override
    public void close() {
        closeChannel();
    }
}
