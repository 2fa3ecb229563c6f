package dev.edgekit.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fault-injecting TCP proxy for tests (this kernel has no netem, and there is no toxiproxy): listens on a free
 * loopback port and forwards every connection to a target, with faults that can be changed while traffic flows:
 * <ul>
 *   <li>{@link #delay(Direction, Duration)} — fixed latency per direction (asymmetric if the two differ);</li>
 *   <li>{@link #jitter(Direction, Duration)} — an extra random latency in [0, max), from a seeded generator;</li>
 *   <li>{@link #drop(Direction)} — black-hole the data (read and discarded) while connections stay open;</li>
 *   <li>{@link #cut()} — close every connection and refuse new ones (accept and reset) until {@link #restore()};</li>
 *   <li>{@link #resume()} — clear every fault.</li>
 * </ul>
 * Latency never reorders bytes: each direction of each connection has its own queue of chunks stamped with a
 * due time that never decreases, read and written by two virtual threads (no sleeping on the reading side, and
 * one slow connection never holds up another). Both legs use TCP_NODELAY. End-of-stream is forwarded as a
 * half-close after the bytes before it.
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.start(new InetSocketAddress("127.0.0.1", brokerPort))) {
 *     connect to proxy.port(); proxy.delay(Direction.UPSTREAM, Duration.ofMillis(500)); ... proxy.cut(); ...
 * }
 * }</pre>
 */
public final class FaultProxy implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FaultProxy.class);
    private static final int CHUNK = 16 * 1024;
    private static final int QUEUE_CHUNKS = 1024;

    /** Which way bytes travel. */
    public enum Direction {
        /** From the client that connected to the proxy towards the target. */
        UPSTREAM,
        /** From the target back to the client. */
        DOWNSTREAM
    }

    private record Faults(long delayNanos, long jitterNanos, boolean drop) {
        static final Faults NONE = new Faults(0, 0, false);
    }

    private final InetSocketAddress target;
    private final ServerSocket server;
    private final Random random;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong[] forwarded = {new AtomicLong(), new AtomicLong()};
    private volatile Faults upstream = Faults.NONE;
    private volatile Faults downstream = Faults.NONE;
    private volatile boolean cut;
    private volatile boolean closed;
    private final Thread acceptor;

    private FaultProxy(InetSocketAddress target, long seed) throws IOException {
        this.target = Objects.requireNonNull(target, "target");
        this.random = new Random(seed);
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        acceptor = Thread.ofVirtual().name("fault-proxy-accept-" + server.getLocalPort()).start(this::acceptLoop);
    }

    /** A proxy to {@code target} with jitter seeded by 0. */
    public static FaultProxy start(InetSocketAddress target) {
        return start(target, 0);
    }

    public static FaultProxy start(String host, int port) {
        return start(new InetSocketAddress(host, port));
    }

    /** A proxy to {@code target} whose jitter comes from a generator seeded with {@code seed}. */
    public static FaultProxy start(InetSocketAddress target, long seed) {
        try {
            return new FaultProxy(target, seed);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start fault proxy: " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port());
    }

    public String host() {
        return InetAddress.getLoopbackAddress().getHostAddress();
    }

    // ---------------------------------------------------------------- faults

    /** Adds a fixed latency to {@code direction} (applies to bytes read from now on). */
    public FaultProxy delay(Direction direction, Duration delay) {
        requireNonNegative(delay);
        update(direction, f -> new Faults(delay.toNanos(), f.jitterNanos(), f.drop()));
        return this;
    }

    /** The same latency both ways. */
    public FaultProxy delay(Duration delay) {
        return delay(Direction.UPSTREAM, delay).delay(Direction.DOWNSTREAM, delay);
    }

    /** Adds a random latency in [0, max) to {@code direction}, on top of the delay (order is kept). */
    public FaultProxy jitter(Direction direction, Duration max) {
        requireNonNegative(max);
        update(direction, f -> new Faults(f.delayNanos(), max.toNanos(), f.drop()));
        return this;
    }

    /** Black-holes {@code direction}: bytes are read and discarded; connections stay open. */
    public FaultProxy drop(Direction direction) {
        update(direction, f -> new Faults(f.delayNanos(), f.jitterNanos(), true));
        return this;
    }

    /** Black-holes both directions. */
    public FaultProxy drop() {
        return drop(Direction.UPSTREAM).drop(Direction.DOWNSTREAM);
    }

    /** Closes every open connection (reset) and refuses new ones until {@link #restore()} or {@link #resume()}. */
    public FaultProxy cut() {
        cut = true;
        for (Link link : links) {
            link.close(true);
        }
        log.debug("fault proxy :{} cut", port());
        return this;
    }

    /** Accepts connections again after {@link #cut()} (other faults stay). */
    public FaultProxy restore() {
        cut = false;
        return this;
    }

    /** Clears every fault: no delay, no jitter, no drop, not cut. */
    public FaultProxy resume() {
        upstream = Faults.NONE;
        downstream = Faults.NONE;
        cut = false;
        return this;
    }

    /** Connections currently open through the proxy. */
    public int activeConnections() {
        return links.size();
    }

    /** Connections accepted and forwarded since start (refused ones not counted). */
    public long connectionsAccepted() {
        return accepted.get();
    }

    /** Bytes written onward in {@code direction} (dropped bytes not counted). */
    public long bytesForwarded(Direction direction) {
        return forwarded[direction.ordinal()].get();
    }

    /** Stops listening (when this returns, new connections are refused) and closes every connection. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
            // the socket's close completes when the accepting thread has left accept()
            acceptor.join(Duration.ofSeconds(5));
        } catch (IOException e) {
            log.debug("closing proxy server socket: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Link link : links) {
            link.close(false);
        }
    }

    private static void requireNonNegative(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("negative duration: " + d);
        }
    }

    private synchronized void update(Direction direction, java.util.function.UnaryOperator<Faults> change) {
        if (direction == Direction.UPSTREAM) {
            upstream = change.apply(upstream);
        } else {
            downstream = change.apply(downstream);
        }
    }

    private Faults faults(Direction direction) {
        return direction == Direction.UPSTREAM ? upstream : downstream;
    }

    /** A jitter sample in [0, max) nanoseconds (package-private for the seeding test). */
    long jitter(long max) {
        if (max <= 0) {
            return 0;
        }
        synchronized (random) {
            return (long) (random.nextDouble() * max);
        }
    }

    // ---------------------------------------------------------------- plumbing

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.warn("fault proxy :{} accept failed: {}", port(), e.getMessage());
                }
                return;
            }
            if (cut) {
                reset(client);
                continue;
            }
            Thread.ofVirtual().name("fault-proxy-connect").start(() -> open(client));
        }
    }

    private void open(Socket client) {
        Socket upstreamSocket = new Socket();
        try {
            client.setTcpNoDelay(true);
            upstreamSocket.setTcpNoDelay(true);
            upstreamSocket.connect(target, 5_000);
        } catch (IOException e) {
            log.debug("fault proxy :{} cannot reach {}: {}", port(), target, e.getMessage());
            reset(client);
            closeQuietly(upstreamSocket);
            return;
        }
        Link link = new Link(client, upstreamSocket);
        links.add(link);
        accepted.incrementAndGet();
        if (cut || closed) { // raced with cut()/close()
            link.close(true);
            return;
        }
        link.start();
    }

    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (SocketException e) {
            // closing anyway
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    /** One proxied connection: two pipes. */
    private final class Link {
        private final Socket client;
        private final Socket upstreamSocket;
        private final Pipe up;
        private final Pipe down;
        private volatile boolean closing;

        Link(Socket client, Socket upstreamSocket) {
            this.client = client;
            this.upstreamSocket = upstreamSocket;
            this.up = new Pipe(this, Direction.UPSTREAM, client, upstreamSocket);
            this.down = new Pipe(this, Direction.DOWNSTREAM, upstreamSocket, client);
        }

        void start() {
            up.start();
            down.start();
        }

        void pipeFinished() {
            if (up.done && down.done) {
                close(false);
            }
        }

        void close(boolean abortive) {
            if (closing) {
                return;
            }
            closing = true;
            links.remove(this);
            if (abortive) {
                reset(client);
                reset(upstreamSocket);
            } else {
                closeQuietly(client);
                closeQuietly(upstreamSocket);
            }
            up.stop();
            down.stop();
        }
    }

    private record Chunk(byte[] bytes, int length, long dueNanos) {
        static final Chunk EOF = new Chunk(new byte[0], -1, 0);
    }

    /** One direction of a link: a reader stamps chunks with due times, a writer sends them when due. */
    private final class Pipe {
        private final Link link;
        private final Direction direction;
        private final Socket from;
        private final Socket to;
        private final BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(QUEUE_CHUNKS);
        private Thread reader;
        private Thread writer;
        private long lastDue;
        volatile boolean done;

        Pipe(Link link, Direction direction, Socket from, Socket to) {
            this.link = link;
            this.direction = direction;
            this.from = from;
            this.to = to;
        }

        void start() {
            String name = "fault-proxy-" + port() + "-" + direction.name().toLowerCase(java.util.Locale.ROOT);
            reader = Thread.ofVirtual().name(name + "-read").start(this::read);
            writer = Thread.ofVirtual().name(name + "-write").start(this::write);
        }

        void stop() {
            if (reader != null) {
                reader.interrupt();
                writer.interrupt();
            }
        }

        private void read() {
            try (InputStream in = from.getInputStream()) {
                while (true) {
                    byte[] buffer = new byte[CHUNK];
                    int n = in.read(buffer);
                    if (n < 0) {
                        enqueue(Chunk.EOF);
                        return;
                    }
                    Faults f = faults(direction);
                    if (f.drop()) {
                        continue;
                    }
                    long due = System.nanoTime() + f.delayNanos() + jitter(f.jitterNanos());
                    lastDue = Math.max(lastDue, due); // latency never reorders
                    enqueue(new Chunk(buffer, n, lastDue));
                }
            } catch (IOException e) {
                link.close(false);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void enqueue(Chunk chunk) throws InterruptedException {
            queue.put(chunk);
        }

        private void write() {
            try {
                OutputStream out = to.getOutputStream();
                while (true) {
                    Chunk chunk = queue.take();
                    long wait;
                    while (chunk.length() >= 0 && (wait = chunk.dueNanos() - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait);
                        if (Thread.interrupted()) {
                            return;
                        }
                    }
                    if (chunk.length() < 0) {
                        to.shutdownOutput();
                        done = true;
                        link.pipeFinished();
                        return;
                    }
                    out.write(chunk.bytes(), 0, chunk.length());
                    out.flush();
                    forwarded[direction.ordinal()].addAndGet(chunk.length());
                }
            } catch (IOException e) {
                link.close(false);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
