package dev.edgekit.protocol.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every connecting variant connects (and binds) a socket of the subclass's own kind; a failed connect closes it. */
class UnconnectedSocketFactoryTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /** Counts its sockets, so the test can see each variant went through {@code createSocket()}. */
    private static final class Counting extends UnconnectedSocketFactory {
        final List<Socket> made = new ArrayList<>();

        @Override
        public Socket createSocket() {
            Socket socket = new Socket();
            made.add(socket);
            return socket;
        }
    }

    @Test
    void eachVariantConnectsOneOfItsOwnSocketsAndBindsTheLocalAddressWhenGiven() throws IOException {
        Counting factory = new Counting();
        try (ServerSocket server = new ServerSocket(0, 8, LOOPBACK)) {
            int port = server.getLocalPort();
            List<Socket> sockets = List.of(
                    factory.createSocket(LOOPBACK.getHostAddress(), port),
                    factory.createSocket(LOOPBACK, port),
                    factory.createSocket(LOOPBACK.getHostAddress(), port, LOOPBACK, 0),
                    factory.createSocket(LOOPBACK, port, LOOPBACK, 0));
            try {
                assertThat(sockets).containsExactlyElementsOf(factory.made)
                        .allSatisfy(s -> assertThat(s.isConnected()).isTrue())
                        .allSatisfy(s -> assertThat(s.getPort()).isEqualTo(port));
                assertThat(sockets.get(2).getLocalAddress()).isEqualTo(LOOPBACK);
                assertThat(sockets.get(3).isBound()).isTrue();
            } finally {
                for (Socket s : sockets) {
                    s.close();
                }
            }
        }
    }

    @Test
    void aRefusedConnectClosesTheSocketItMade() throws IOException {
        Counting factory = new Counting();
        int closedPort;
        try (ServerSocket server = new ServerSocket(0, 1, LOOPBACK)) {
            closedPort = server.getLocalPort(); // nothing listens there once this closes
        }
        assertThatThrownBy(() -> factory.createSocket(LOOPBACK, closedPort)).isInstanceOf(ConnectException.class);
        assertThat(factory.made).singleElement().satisfies(s -> assertThat(s.isClosed()).isTrue());
    }
}
