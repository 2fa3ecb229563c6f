package dev.edgekit.protocol.mqtt;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Objects;
import java.util.function.LongSupplier;
import javax.net.SocketFactory;

/** Plain TCP sockets whose streams take {@link WireStamps} with the session's clock. */
final class StampingSocketFactory extends SocketFactory {
    private final LongSupplier clock;

    /** @param clock epoch nanoseconds on the session's clock */
    StampingSocketFactory(LongSupplier clock) {
        this.clock = Objects.requireNonNull(clock);
    }

    @Override
    public Socket createSocket() {
        return new StampingSocket(clock);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return connected(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
    }

    private Socket connected(InetSocketAddress remote, InetSocketAddress local) throws IOException {
        Socket socket = new StampingSocket(clock);
        try {
            if (local != null) socket.bind(local);
            socket.connect(remote);
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static final class StampingSocket extends Socket {
        private final LongSupplier clock;
        private InputStream in;
        private OutputStream out;

        StampingSocket(LongSupplier clock) {
            this.clock = clock;
        }

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (in == null) in = new StampingInputStream(super.getInputStream(), clock);
            return in;
        }

        @Override
        public synchronized OutputStream getOutputStream() throws IOException {
            if (out == null) out = new StampingOutputStream(super.getOutputStream(), clock);
            return out;
        }
    }
}
