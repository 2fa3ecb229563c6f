package dev.edgekit.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** Ports on 127.0.0.1 for the brokers the tools start: a free one, and waiting until a child process listens. */
public final class LoopbackPorts {
    private LoopbackPorts() {
    }

    /** A port nothing listens on right now (another process may take it before we do; the caller retries if so). */
    public static int free() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until something accepts on {@code port}; fails at once when {@code owner} exits, or after {@code timeout}. */
    public static void awaitListening(int port, Process owner, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!owner.isAlive()) {
                throw new IllegalStateException("the process that should listen on port " + port + " exited with code "
                        + owner.exitValue());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
        }
        throw new IllegalStateException("nothing listens on port " + port + " after " + timeout.toSeconds() + " s");
    }
}
