package dev.edgekit.protocol.mqtt;

import dev.edgekit.protocol.clock.LogicalClocks;
import dev.edgekit.protocol.topic.Ids;
import java.time.Clock;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import javax.net.SocketFactory;

/**
 * Configures an {@link MqttSession}. Every setting has a sensible default except the broker and the client id.
 * Not thread-safe; build once.
 */
public final class MqttSessionBuilder {
    final List<String> servers = new ArrayList<>();
    Supplier<List<String>> serverSupplier; // asked before every connect attempt
    String clientId;
    Duration keepAlive = Duration.ofSeconds(10);
    Duration connectTimeout = Duration.ofSeconds(5);
    Duration reconnectMin = Duration.ofMillis(250);
    Duration reconnectMax = Duration.ofSeconds(30);
    boolean cleanStart = true;
    Duration sessionExpiry = Duration.ZERO;
    Supplier<Will> will;
    boolean willOnClose;
    String username;
    byte[] password;
    SocketFactory socketFactory;
    boolean wireStamps = true;
    InstantSource clock = Clock.systemUTC();
    LogicalClocks logicalClocks;
    ScheduledExecutorService scheduler;
    Executor handlerExecutor;
    ScheduledExecutorService pahoExecutor;
    RandomGenerator random;

    MqttSessionBuilder() {
    }

    /** Broker URIs ({@code tcp://host:port}, {@code ssl://host:port}); tried in order, the last good one first. */
    public MqttSessionBuilder servers(List<String> uris) {
        servers.clear();
        servers.addAll(uris);
        return this;
    }

    // a broker list asked anew before every connect attempt (discovered brokers)
    /**
     * Broker URIs asked for before every connect attempt, so brokers discovered after the session was built are tried
     * too (roaming). Called from the session's reconnect timer: it must be thread-safe, fast and non-blocking. URIs it
     * returns that are not {@code tcp://} or {@code ssl://} are skipped; an empty answer counts as a failed attempt
     * (retried with backoff). The fixed {@link #servers(List)} may then be empty.
     */
    public MqttSessionBuilder servers(Supplier<List<String>> uris) {
        this.serverSupplier = Objects.requireNonNull(uris, "uris");
        return this;
    }

    public MqttSessionBuilder server(String uri) {
        return servers(List.of(uri));
    }

    /** The MQTT client id; for a device, its device id. */
    public MqttSessionBuilder clientId(String clientId) {
        this.clientId = clientId;
        return this;
    }

    public MqttSessionBuilder keepAlive(Duration keepAlive) {
        this.keepAlive = keepAlive;
        return this;
    }

    public MqttSessionBuilder connectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
        return this;
    }

    /** Reconnect backoff: from {@code min}, doubling to {@code max}, each delay jittered down to half. */
    public MqttSessionBuilder reconnectBackoff(Duration min, Duration max) {
        this.reconnectMin = min;
        this.reconnectMax = max;
        return this;
    }

    /** A persistent session: the broker keeps subscriptions and queued QoS 1 messages for {@code expiry}. */
    public MqttSessionBuilder persistentSession(Duration expiry) {
        this.cleanStart = false;
        this.sessionExpiry = expiry;
        return this;
    }

    /** The Will for each connect; asked anew before every attempt, so it can carry the session's birth number. */
    public MqttSessionBuilder will(Supplier<Will> will) {
        this.will = will;
        return this;
    }

    /**
     * Whether {@link MqttSession#close} ends the connection with DISCONNECT reason 0x04, <em>Disconnect with Will
     * Message</em> (MQTT 5 §3.14.2.1), so the broker publishes the Will on a clean close too. Sparkplug B 3.0 asks this
     * of an MQTT 5 edge node. Default: no (a clean close discards the Will).
     */
    public MqttSessionBuilder willOnClose(boolean on) {
        this.willOnClose = on;
        return this;
    }

    public MqttSessionBuilder credentials(String username, byte[] password) {
        this.username = username;
        this.password = password == null ? null : password.clone();
        return this;
    }

    /** Sockets for the connection (TLS, or socket-level stamping); TCP_NODELAY is set on whatever it creates. */
    public MqttSessionBuilder socketFactory(SocketFactory socketFactory) {
        this.socketFactory = socketFactory;
        return this;
    }

    /**
     * Whether the session's sockets take {@link WireStamps} (default: yes). Applies to {@code tcp://} brokers when no
     * {@link #socketFactory} of one's own is given; costs one scan of each small PUBLISH packet in each direction.
     */
    public MqttSessionBuilder wireStamps(boolean wireStamps) {
        this.wireStamps = wireStamps;
        return this;
    }

    /** The clock that stamps arrivals and drives the HLC: the device's disciplined clock on an agent. */
    public MqttSessionBuilder clock(InstantSource clock) {
        this.clock = clock;
        return this;
    }

    public MqttSessionBuilder logicalClocks(LogicalClocks logicalClocks) {
        this.logicalClocks = logicalClocks;
        return this;
    }

    /** Timer for reconnects and request timeouts; default: one daemon thread shared by all sessions. */
    public MqttSessionBuilder scheduler(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
        return this;
    }

    /** Where handlers run (serialised per session); default: virtual threads. */
    public MqttSessionBuilder handlerExecutor(Executor handlerExecutor) {
        this.handlerExecutor = handlerExecutor;
        return this;
    }

    /** Paho's own threads; {@link PahoThreads#virtual()} for many sessions in one JVM. Default: Paho's threads. */
    public MqttSessionBuilder pahoExecutor(ScheduledExecutorService pahoExecutor) {
        this.pahoExecutor = pahoExecutor;
        return this;
    }

    /** For backoff jitter. */
    public MqttSessionBuilder random(RandomGenerator random) {
        this.random = random;
        return this;
    }

    public MqttSession build() {
        if (servers.isEmpty() && serverSupplier == null) {
            throw new IllegalArgumentException("no broker URI given");
        }
        for (String uri : servers) {
            if (!(uri.startsWith("tcp://") || uri.startsWith("ssl://"))) {
                throw new IllegalArgumentException("broker URI '" + uri + "' must start with tcp:// or ssl://");
            }
        }
        Objects.requireNonNull(clientId, "clientId");
        if (clientId.isEmpty() || clientId.length() > 128) {
            throw new IllegalArgumentException("client id must be 1-128 characters: '" + clientId + "'");
        }
        if (!Ids.isValid(clientId) && !clientId.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("client id '" + clientId + "' may use only A-Z a-z 0-9 . _ -");
        }
        if (reconnectMin.isNegative() || reconnectMin.isZero() || reconnectMax.compareTo(reconnectMin) < 0) {
            throw new IllegalArgumentException("reconnect backoff needs 0 < min <= max");
        }
        return new PahoSession(this);
    }
}
