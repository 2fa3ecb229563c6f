package dev.edgekit.ubiquitous.discovery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceEvent;
import javax.jmdns.ServiceInfo;
import javax.jmdns.ServiceListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * mDNS/DNS-SD on one interface address through JmDNS: advertise brokers and time servers, find them. JmDNS runs its
 * own threads; listeners are called on them, so hand work off. Close it to withdraw what it advertised.
 */
public final class Discovery implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Discovery.class);

    private final JmDNS jmdns;
    private final Map<String, Found> found = new ConcurrentHashMap<>();

    private Discovery(JmDNS jmdns) {
        this.jmdns = jmdns;
    }

    /** mDNS on the interface of {@code address} (e.g. the LAN address; 127.0.0.1 on one machine). */
    public static Discovery on(InetAddress address, String hostName) {
        try {
            return new Discovery(JmDNS.create(address, hostName));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start mDNS on " + address + ": " + e.getMessage(), e);
        }
    }

    /** Advertises a service until {@link #close()}. */
    public void advertise(ServiceKind kind, String name, int port, Map<String, String> properties) {
        try {
            jmdns.registerService(ServiceInfo.create(kind.type(), name, port, 0, 0, new HashMap<>(properties)));
            log.info("advertising {} '{}' on port {}", kind.type(), name, port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot advertise " + name + ": " + e.getMessage(), e);
        }
    }

    /** Calls {@code onFound} for every service of {@code kind} resolved from now on (and those already known). */
    public void watch(ServiceKind kind, Consumer<Found> onFound) {
        jmdns.addServiceListener(kind.type(), new ServiceListener() {
            @Override
            public void serviceAdded(ServiceEvent event) {
                jmdns.requestServiceInfo(event.getType(), event.getName(), 1000);
            }

            @Override
            public void serviceRemoved(ServiceEvent event) {
                log.debug("{} '{}' removed", kind.type(), event.getName());
                found.remove(kind + "/" + event.getName());
            }

            @Override
            public void serviceResolved(ServiceEvent event) {
                Found f = toFound(kind, event.getInfo());
                if (f != null) {
                    found.put(kind + "/" + f.name(), f);
                    onFound.accept(f);
                }
            }
        });
    }

    /**
     * Waits until at least one service of {@code kind} accepted by {@code filter} is resolved, or {@code timeout}
     * passes, then returns every service of that kind it accepts that was resolved so far, by name.
     */
    public List<Found> browse(ServiceKind kind, Duration timeout, java.util.function.Predicate<Found> filter)
            throws InterruptedException {
        CountDownLatch first = new CountDownLatch(1);
        Map<String, Found> seen = new ConcurrentHashMap<>();
        watch(kind, f -> {
            if (filter.test(f)) {
                seen.put(f.name(), f);
                first.countDown();
            }
        });
        first.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        // what this browse saw as well as what is known now: JmDNS may report a service removed and resolve it
        // again moments later (CI saw a browse return nothing after its listener had accepted a match)
        Map<String, Found> result = new TreeMap<>(seen);
        known(kind).stream().filter(filter).forEach(f -> result.put(f.name(), f));
        return List.copyOf(result.values());
    }

    /** Services of {@code kind} resolved so far. */
    public List<Found> known(ServiceKind kind) {
        List<Found> list = new ArrayList<>();
        found.values().stream().filter(f -> f.kind() == kind).forEach(list::add);
        list.sort(java.util.Comparator.comparing(Found::name));
        return Collections.unmodifiableList(list);
    }

    static Found toFound(ServiceKind kind, ServiceInfo info) {
        if (info == null || info.getPort() <= 0) {
            return null;
        }
        InetAddress[] addresses = info.getInetAddresses();
        if (addresses.length == 0) {
            return null;
        }
        InetAddress chosen = addresses[0];
        for (InetAddress a : addresses) {
            if (!(a instanceof Inet6Address)) {
                chosen = a; // IPv4 first: simpler URIs, and what most LAN brokers listen on
                break;
            }
        }
        Map<String, String> props = new HashMap<>();
        for (var names = info.getPropertyNames(); names.hasMoreElements(); ) {
            String key = names.nextElement();
            String value = info.getPropertyString(key);
            if (value != null) {
                props.put(key, value);
            }
        }
        return new Found(kind, info.getName(), chosen.getHostAddress(), info.getPort(), props);
    }

    @Override
    public void close() {
        try {
            jmdns.unregisterAllServices();
            jmdns.close();
        } catch (IOException e) {
            log.debug("closing mDNS: {}", e.getMessage());
        }
    }
}
