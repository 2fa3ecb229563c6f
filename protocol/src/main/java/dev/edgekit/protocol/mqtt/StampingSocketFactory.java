package dev.edgekit.protocol.mqtt;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Objects;
import java.util.function.LongSupplier;

/** Plain TCP sockets whose streams take {@link WireStamps} with the session's clock. */
final class StampingSocketFactory extends UnconnectedSocketFactory {
    private final LongSupplier clock;

    /** @param clock epoch nanoseconds on the session's clock */
    StampingSocketFactory(LongSupplier clock) {
        this.clock = Objects.requireNonNull(clock);
    }

    @Override
    public Socket createSocket() {
        return new StampingSocket(clock);
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
