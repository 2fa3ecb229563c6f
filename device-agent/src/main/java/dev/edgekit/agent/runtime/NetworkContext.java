package dev.edgekit.agent.runtime;

import dev.edgekit.protocol.message.Birth;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;

/** Works out which local address and interface lead to the broker: what a birth certificate reports. */
final class NetworkContext {
    private NetworkContext() {
    }

    static Birth.Network towards(String brokerUri) {
        if (brokerUri == null) {
            return new Birth.Network(null, null, null);
        }
        URI uri = URI.create(brokerUri);
        // connecting a UDP socket sends nothing; it only asks the kernel for the route
        try (DatagramSocket probe = new DatagramSocket()) {
            probe.connect(InetAddress.getByName(uri.getHost()), uri.getPort());
            InetAddress local = probe.getLocalAddress();
            NetworkInterface nic = NetworkInterface.getByInetAddress(local);
            return new Birth.Network(local.getHostAddress(), nic == null ? null : nic.getName(), brokerUri);
        } catch (SocketException | java.net.UnknownHostException | SecurityException e) {
            return new Birth.Network(null, null, brokerUri);
        }
    }
}
