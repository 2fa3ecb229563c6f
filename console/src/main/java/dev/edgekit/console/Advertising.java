package dev.edgekit.console;

import dev.edgekit.ubiquitous.discovery.Discovery;
import dev.edgekit.ubiquitous.discovery.ServiceKind;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The advertising options shared by {@code simulate} and {@code time-server} (a picocli mixin): mDNS/DNS-SD on
 * 127.0.0.1 by default (the embedded broker binds loopback only, so that is where it can be reached), or on a given
 * interface address; {@code --no-advertise} turns it off.
 */
public final class Advertising {
    @Option(names = "--no-advertise", description = "Do not advertise with mDNS/DNS-SD (default: advertise).")
    boolean noAdvertise;

    @Option(names = "--advertise-on", converter = Flags.IpAddress.class, defaultValue = "127.0.0.1",
            description = "Interface address to advertise on (default: ${DEFAULT-VALUE}).")
    String advertiseOn;

    /** The interface address advertisements go out on. */
    public String address() {
        return advertiseOn;
    }

    /** Starts advertising one service; null when advertising is off. Close the result to withdraw it. */
    public Discovery advertise(ServiceKind kind, String name, int port, Map<String, String> txt) {
        if (noAdvertise) {
            return null;
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(advertiseOn);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--advertise-on: '" + advertiseOn + "' is not an address of this host");
        }
        Discovery discovery = Discovery.on(address, name.replaceAll("[^A-Za-z0-9-]", "-"));
        discovery.advertise(kind, name, port, txt);
        return discovery;
    }
}
