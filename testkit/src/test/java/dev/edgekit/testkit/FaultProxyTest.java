package dev.edgekit.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.edgekit.testkit.FaultProxy.Direction;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class FaultProxyTest {
    private EchoServer echo;
    private FaultProxy proxy;

    /** Echoes every byte back; records when the first byte of a connection arrived. */
    static final class EchoServer implements AutoCloseable {
        final ServerSocket server;
        final AtomicLong received = new AtomicLong();
        final AtomicLong firstByteNanos = new AtomicLong();

        EchoServer() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        s.setTcpNoDelay(true);
                        Thread.ofVirtual().start(() -> echo(s));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        private void echo(Socket s) {
            try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                byte[] buf = new byte[8192];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    firstByteNanos.compareAndSet(0, System.nanoTime());
                    received.addAndGet(n);
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // connection reset by the proxy: fine
            }
        }

        InetSocketAddress address() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    @BeforeEach
    void start() throws IOException {
        echo = new EchoServer();
        proxy = FaultProxy.start(echo.address(), 42);
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echo.close();
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(proxy.address(), 5_000);
        s.setSoTimeout(10_000);
        return s;
    }

    private static byte[] readExactly(Socket s, int n) throws IOException {
        return new DataInputStream(s.getInputStream()).readNBytes(n);
    }

    @Test
    void forwardsBytesBothWaysUnchanged() throws IOException {
        byte[] data = new byte[200_000];
        new Random(1).nextBytes(data);
        try (Socket s = connect()) {
            Thread.ofVirtual().start(() -> {
                try {
                    s.getOutputStream().write(data);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(readExactly(s, data.length)).isEqualTo(data);
        }
        assertThat(proxy.bytesForwarded(Direction.UPSTREAM)).isEqualTo(data.length);
        assertThat(proxy.connectionsAccepted()).isEqualTo(1);
    }

    @Test
    void byteOrderSurvivesJitterOnManySmallWrites() throws IOException {
        proxy.jitter(Direction.UPSTREAM, Duration.ofMillis(3)).jitter(Direction.DOWNSTREAM, Duration.ofMillis(3));
        int count = 2_000;
        try (Socket s = connect()) {
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < count; i++) {
                        out.writeInt(i); // one small segment each (TCP_NODELAY)
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            DataInputStream in = new DataInputStream(s.getInputStream());
            for (int i = 0; i < count; i++) {
                assertThat(in.readInt()).isEqualTo(i);
            }
        }
    }

    // The two delay tests check lower bounds only: the proxy guarantees bytes are held at least that long.
    @Test
    void anUpstreamDelayHoldsBytesOnTheWayToTheTargetOnly() throws IOException {
        proxy.delay(Direction.UPSTREAM, Duration.ofMillis(200));
        try (Socket s = connect()) {
            long sent = System.nanoTime();
            s.getOutputStream().write(7);
            assertThat(readExactly(s, 1)).containsExactly(7);
            long back = System.nanoTime();
            assertThat(Duration.ofNanos(echo.firstByteNanos.get() - sent)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
            assertThat(back).isGreaterThanOrEqualTo(echo.firstByteNanos.get());
        }
    }

    @Test
    void aDownstreamDelayHoldsTheReplyAndNotTheRequest() throws IOException {
        proxy.delay(Direction.DOWNSTREAM, Duration.ofMillis(200));
        try (Socket s = connect()) {
            s.getOutputStream().write(9);
            assertThat(readExactly(s, 1)).containsExactly(9);
            long back = System.nanoTime();
            assertThat(Duration.ofNanos(back - echo.firstByteNanos.get())).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        }
    }

    @Test
    void dropBlackHolesTheDataButKeepsTheConnectionOpenUntilResumed() throws IOException {
        try (Socket s = connect()) {
            s.getOutputStream().write(1);
            assertThat(readExactly(s, 1)).containsExactly(1);

            proxy.drop();
            s.getOutputStream().write(new byte[] {2, 3, 4});
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                    .until(() -> echo.received.get() == 1 && proxy.activeConnections() == 1);

            proxy.resume();
            s.getOutputStream().write(5);
            assertThat(readExactly(s, 1)).containsExactly(5);
            assertThat(echo.received.get()).isEqualTo(2);
        }
    }

    @Test
    void aDroppedDownstreamLosesRepliesWhileRequestsStillArrive() throws IOException {
        proxy.drop(Direction.DOWNSTREAM);
        try (Socket s = connect()) {
            s.getOutputStream().write(new byte[] {1, 2});
            await().atMost(Duration.ofSeconds(5)).until(() -> echo.received.get() == 2);
            proxy.resume();
            s.getOutputStream().write(3);
            assertThat(readExactly(s, 1)).containsExactly(3);
        }
    }

    @Test
    void cutClosesOpenConnectionsAndRefusesNewOnesUntilRestored() throws IOException {
        try (Socket s = connect()) {
            s.getOutputStream().write(1);
            assertThat(readExactly(s, 1)).containsExactly(1);

            proxy.cut();
            assertThat(readUntilClosed(s)).isTrue();
        }
        assertThat(refused()).isTrue();
        assertThat(proxy.activeConnections()).isZero();

        proxy.restore();
        try (Socket s = connect()) {
            s.getOutputStream().write(2);
            assertThat(readExactly(s, 1)).containsExactly(2);
        }
    }

    /** True when a new connection is reset at once (at connect, at the first socket call, or at the first read). */
    private boolean refused() {
        try (Socket s = connect()) {
            s.setSoTimeout(2_000);
            return readUntilClosed(s);
        } catch (java.net.SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** True when the peer closed or reset the connection (rather than the read timing out). */
    private static boolean readUntilClosed(Socket s) throws IOException {
        try {
            ByteArrayOutputStream ignored = new ByteArrayOutputStream();
            int b;
            while ((b = s.getInputStream().read()) >= 0) {
                ignored.write(b);
            }
            return true;
        } catch (java.net.SocketTimeoutException stillOpen) {
            return false;
        } catch (SocketException reset) {
            return true;
        }
    }

    @Test
    void aClosedProxyNoLongerListens() {
        int port = proxy.port();
        proxy.close();
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void theSameSeedGivesTheSameJitter() throws IOException {
        // jitter never reorders, so the observable effect of the seed is only timing; check it is seeded
        try (FaultProxy a = FaultProxy.start(echo.address(), 7); FaultProxy b = FaultProxy.start(echo.address(), 7)) {
            assertThat(Arrays.equals(sampleJitter(a), sampleJitter(b))).isTrue();
        }
    }

    private static long[] sampleJitter(FaultProxy p) {
        long[] samples = new long[16];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = p.jitter(Duration.ofMillis(10).toNanos());
        }
        return samples;
    }
}
