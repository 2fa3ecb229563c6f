package dev.edgekit.agent.runtime;

import dev.edgekit.agent.config.AgentConfig;
import dev.edgekit.ubiquitous.discovery.BrokerChoice;
import dev.edgekit.ubiquitous.discovery.Discovery;
import dev.edgekit.ubiquitous.discovery.ServiceKind;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code broker.discover: true}: brokers found with mDNS for the agent's site (ordered by {@link BrokerChoice}), then
 * the configured URLs. {@link #servers()} is the session's per-attempt broker list, so a broker advertised after the
 * agent started is used at the next (re)connect.
 */
final class BrokerDiscovery implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BrokerDiscovery.class);

    private final Discovery discovery;
    private final String site;
    private final List<String> configured;
    private final CompletableFuture<Void> firstFound = new CompletableFuture<>();

    private BrokerDiscovery(Discovery discovery, String site, List<String> configured) {
        this.discovery = discovery;
        this.site = site;
        this.configured = configured;
    }

    static BrokerDiscovery start(AgentConfig config, String id) {
        AgentConfig.Discover d = config.broker().discover();
        InetAddress address = d.address() != null ? parse(d.address()) : lanAddress();
        BrokerDiscovery bd = new BrokerDiscovery(Discovery.on(address, "edgekit-" + id), config.site(),
                config.broker().urls());
        bd.discovery.watch(ServiceKind.MQTT, f -> {
            if (!BrokerChoice.order(List.of(f), bd.site).isEmpty()) {
                log.info("{}: found broker '{}' at {}", id, f.name(), f.uri());
                bd.firstFound.complete(null);
            }
        });
        log.info("{}: looking for brokers of site {} with mDNS on {}", id, config.site(), address.getHostAddress());
        return bd;
    }

    /** Discovered brokers of this site first, configured ones after; thread-safe, non-blocking. */
    List<String> servers() {
        List<String> all = new ArrayList<>(BrokerChoice.order(discovery.known(ServiceKind.MQTT), site));
        configured.stream().filter(u -> !all.contains(u)).forEach(all::add);
        return Collections.unmodifiableList(all);
    }

    /** Completes when a first broker of this site is found, or after {@code wait}. */
    CompletableFuture<Void> firstOrAfter(java.time.Duration wait) {
        return firstFound.completeOnTimeout(null, wait.toMillis(), TimeUnit.MILLISECONDS).copy();
    }

    private static InetAddress parse(String address) {
        try {
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("broker.discoverOn: '" + address + "': " + e.getMessage(), e);
        }
    }

    /** The first IPv4 address of an interface that is up, not loopback and does multicast; else 127.0.0.1. */
    static InetAddress lanAddress() {
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (ni.isUp() && !ni.isLoopback() && ni.supportsMulticast()) {
                    for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                        if (a instanceof Inet4Address) {
                            return a;
                        }
                    }
                }
            }
        } catch (SocketException e) {
            log.warn("cannot list network interfaces: {}", e.getMessage());
        }
        return InetAddress.getLoopbackAddress();
    }

    @Override
    public void close() {
        discovery.close();
    }
}
