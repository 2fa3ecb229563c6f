package dev.edgekit.time.ntp;

import dev.edgekit.time.DisciplinedClock;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers NTP client requests over UDP from a {@link DisciplinedClock} (RFC 5905 server mode). One platform thread
 * receives, answers and sends, one datagram at a time, into two preallocated buffers: no queue, no allocation per
 * packet on the answer path. The receive stamp is the raw device clock read right after {@code receive} returns, the
 * transmit stamp the one read right before {@code send}; both are mapped onto the disciplined timeline (without its
 * monotonic floor, so t3 − t2 is the true turnaround). Datagrams larger than {@code maxRequestBytes} are cut by the
 * buffer and dropped as {@link DropReason#TOO_LARGE}.
 */
public final class NtpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NtpServer.class);
    private static final long LOG_EVERY_NANOS = 60_000_000_000L;

    /** Counters since start; {@code dropped} has every {@link DropReason}. */
    public record Stats(long received, long served, long kissed, Map<DropReason, Long> dropped, int sources) {
        public long droppedTotal() {
            return dropped.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final DisciplinedClock clock;
    private final DatagramChannel channel;
    private final NtpResponder responder;
    private final Thread thread;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong served = new AtomicLong();
    private final AtomicLong kissed = new AtomicLong();
    private final AtomicLongArray dropped = new AtomicLongArray(DropReason.values().length);
    private final long[] lastLogged = new long[DropReason.values().length];
    private volatile int sources;
    private volatile boolean closed;

    private NtpServer(DisciplinedClock clock, NtpServerConfig config, DatagramChannel channel) {
        this.clock = clock;
        this.channel = channel;
        this.responder = new NtpResponder(clock, config);
        Arrays.fill(lastLogged, Long.MIN_VALUE);
        ByteBuffer in = ByteBuffer.allocateDirect(config.maxRequestBytes() + 1);
        ByteBuffer out = ByteBuffer.allocateDirect(NtpWire.HEADER_BYTES);
        this.thread = Thread.ofPlatform().name("edgekit-ntp-" + localAddress().getPort()).daemon(true)
                .unstarted(() -> loop(in, out));
    }

    /** Binds {@code config.bind()} (one clear exception if it cannot) and starts answering. */
    public static NtpServer start(DisciplinedClock clock, NtpServerConfig config) throws IOException {
        Objects.requireNonNull(clock, "clock");
        DatagramChannel channel = DatagramChannel.open();
        try {
            channel.bind(config.bind());
        } catch (IOException e) {
            channel.close();
            int port = config.bind().getPort();
            throw new IOException("ntp: cannot listen on UDP " + config.bind().getHostString() + ":" + port + " ("
                    + e.getMessage() + ")" + (port > 0 && port < 1024 ? "; ports below 1024 need root or"
                    + " CAP_NET_BIND_SERVICE" : ""), e);
        }
        NtpServer server = new NtpServer(clock, config, channel);
        server.thread.start();
        log.info("ntp: serving {} on UDP {}", clock, server.localAddress());
        return server;
    }

    /** Where it listens (with the real port when bound to port 0). */
    public InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException("ntp socket closed", e);
        }
    }

    private void loop(ByteBuffer in, ByteBuffer out) {
        while (!closed) {
            try {
                in.clear();
                SocketAddress from = channel.receive(in);
                long arrival = clock.deviceNanos(); // t2: first thing after the datagram left the socket
                in.flip();
                received.incrementAndGet();
                if (!(from instanceof InetSocketAddress source)) continue;
                NtpResponder.Outcome outcome = responder.respond(in, source, arrival, out);
                sources = responder.sources();
                switch (outcome) {
                    case NtpResponder.Outcome.Served s -> send(out, source, served);
                    case NtpResponder.Outcome.Kissed k -> send(out, source, kissed);
                    case NtpResponder.Outcome.Dropped d -> dropped(d.reason(), source, arrival);
                }
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (closed) return;
                log.warn("ntp: receive loop: {}", e.toString()); // e.g. ICMP unreachable surfacing; keep serving
            }
        }
    }

    private void send(ByteBuffer reply, InetSocketAddress to, AtomicLong counter) throws IOException {
        NtpResponder.stampTransmit(reply, clock.epochNanosAt(clock.deviceNanos())); // t3: last thing before send
        channel.send(reply, to);
        counter.incrementAndGet();
    }

    private void dropped(DropReason reason, InetSocketAddress source, long nowNanos) {
        dropped.incrementAndGet(reason.ordinal());
        int i = reason.ordinal();
        if (lastLogged[i] == Long.MIN_VALUE || nowNanos - lastLogged[i] >= LOG_EVERY_NANOS) {
            lastLogged[i] = nowNanos; // one line per cause per minute; the counters have the rest
            log.info("ntp: dropped a datagram from {} ({}); {} so far", source, reason, dropped.get(i));
        }
    }

    public Stats stats() {
        Map<DropReason, Long> byReason = new EnumMap<>(DropReason.class);
        for (DropReason r : DropReason.values()) byReason.put(r, dropped.get(r.ordinal()));
        return new Stats(received.get(), served.get(), kissed.get(), java.util.Collections.unmodifiableMap(byReason), sources);
    }

    /** Stops answering and releases the port. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("ntp: close: {}", e.toString());
        }
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
