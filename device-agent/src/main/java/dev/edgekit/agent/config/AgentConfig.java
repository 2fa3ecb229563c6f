package dev.edgekit.agent.config;

import dev.edgekit.agent.outbox.Durability;
import dev.edgekit.protocol.topic.Ids;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * An agent's configuration, immutable and validated: what {@code agent.yaml} says (see {@link AgentConfigLoader}),
 * with every default filled in.
 *
 * @param id        the device id; null means "derive it from the board's serial"
 * @param board     {@code simulated}, or {@code pi} for real hardware through Pi4J
 * @param hardware  the {@code hardware:} section: devices, sampling intervals, simulation settings
 * @param stateDir  where the agent keeps its durable state (outbox, checkpoints, drift file)
 * @param time      clock synchronisation ({@code time:} section); {@link TimeConfig#NONE} when absent
 * @param outbox    bounds and durability of the outbox at {@code {stateDir}/outbox.db}
 * @param interop   projections for other ecosystems ({@code interop:}): Home Assistant discovery, Sparkplug B
 * @param shadow    the device shadow ({@code shadow:}): desired state and remote configuration
 */
public record AgentConfig(String site, String id, String name, BrokerConfig broker, Duration heartbeatInterval,
        BoardKind board, HardwareConfig hardware, java.nio.file.Path stateDir, TimeConfig time,
        OutboxSettings outbox, Interop interop, ShadowSettings shadow) {

    /** Without interop and with the shadow's defaults. */
    public AgentConfig(String site, String id, String name, BrokerConfig broker, Duration heartbeatInterval,
            BoardKind board, HardwareConfig hardware, java.nio.file.Path stateDir, TimeConfig time,
            OutboxSettings outbox) {
        this(site, id, name, broker, heartbeatInterval, board, hardware, stateDir, time, outbox, Interop.NONE,
                ShadowSettings.DEFAULTS);
    }

    /** Without clock synchronisation, with the outbox defaults. */
    public AgentConfig(String site, String id, String name, BrokerConfig broker, Duration heartbeatInterval,
            BoardKind board, HardwareConfig hardware, java.nio.file.Path stateDir) {
        this(site, id, name, broker, heartbeatInterval, board, hardware, stateDir, TimeConfig.NONE,
                OutboxSettings.DEFAULTS);
    }

    /** With the outbox defaults. */
    public AgentConfig(String site, String id, String name, BrokerConfig broker, Duration heartbeatInterval,
            BoardKind board, HardwareConfig hardware, java.nio.file.Path stateDir, TimeConfig time) {
        this(site, id, name, broker, heartbeatInterval, board, hardware, stateDir, time, OutboxSettings.DEFAULTS);
    }

    public AgentConfig {
        Ids.require(site, "site");
        if (id != null) {
            Ids.require(id, "id");
        }
        Objects.requireNonNull(broker, "broker");
        requirePositive(heartbeatInterval, "heartbeat");
        Objects.requireNonNull(board, "board");
        Objects.requireNonNull(hardware, "hardware");
        Objects.requireNonNull(stateDir, "stateDir");
        time = time == null ? TimeConfig.NONE : time;
        outbox = outbox == null ? OutboxSettings.DEFAULTS : outbox;
        interop = interop == null ? Interop.NONE : interop;
        shadow = shadow == null ? ShadowSettings.DEFAULTS : shadow;
    }

    static Duration requirePositive(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new ConfigException(what + " must be a positive duration, not " + d);
        }
        return d;
    }

    public AgentConfig withId(String newId) {
        return new AgentConfig(site, newId, name, broker, heartbeatInterval, board, hardware, stateDir,
                time, outbox, interop, shadow);
    }

    public AgentConfig withBroker(BrokerConfig newBroker) {
        return new AgentConfig(site, id, name, newBroker, heartbeatInterval, board, hardware, stateDir,
                time, outbox, interop, shadow);
    }

    public AgentConfig withBoard(BoardKind newBoard) {
        return new AgentConfig(site, id, name, broker, heartbeatInterval, newBoard, hardware, stateDir,
                time, outbox, interop, shadow);
    }

    public AgentConfig withTime(TimeConfig newTime) {
        return new AgentConfig(site, id, name, broker, heartbeatInterval, board, hardware, stateDir,
                newTime, outbox, interop, shadow);
    }

    public AgentConfig withOutbox(OutboxSettings newOutbox) {
        return new AgentConfig(site, id, name, broker, heartbeatInterval, board, hardware, stateDir,
                time, newOutbox, interop, shadow);
    }

    public AgentConfig withInterop(Interop newInterop) {
        return new AgentConfig(site, id, name, broker, heartbeatInterval, board, hardware, stateDir, time, outbox,
                newInterop, shadow);
    }

    public AgentConfig withShadow(ShadowSettings newShadow) {
        return new AgentConfig(site, id, name, broker, heartbeatInterval, board, hardware, stateDir, time, outbox,
                interop, newShadow);
    }

    public enum BoardKind {
        SIMULATED, PI
    }

    /**
     * @param urls      brokers to try, in order
     * @param keepAlive MQTT keepalive: a dead connection is noticed by the broker within 1.5 × this
     * @param willDelay MQTT 5 will delay; 0 so a crash shows at once
     */
    public record BrokerConfig(List<String> urls, Duration keepAlive, Duration willDelay, String username,
            java.nio.file.Path passwordFile, Tls tls, Discover discover) {
        public BrokerConfig {
            urls = List.copyOf(urls);
            if (urls.isEmpty() && discover == null) {
                throw new ConfigException("broker.urls: at least one broker URL is needed (or broker.discover: true)");
            }
            for (String url : urls) {
                if (!url.matches("(tcp|ssl)://[^/\\s]+:\\d+")) {
                    throw new ConfigException("broker.urls: '" + url + "' is not a broker URL like tcp://host:1883");
                }
            }
            requirePositive(keepAlive, "broker.keepAlive");
            if (willDelay == null || willDelay.isNegative()) {
                throw new ConfigException("broker.willDelay must be zero or positive");
            }
        }

        /** Without discovery. */
        public BrokerConfig(List<String> urls, Duration keepAlive, Duration willDelay, String username,
                java.nio.file.Path passwordFile, Tls tls) {
            this(urls, keepAlive, willDelay, username, passwordFile, tls, null);
        }

        /** Without TLS. */
        public BrokerConfig(List<String> urls, Duration keepAlive, Duration willDelay, String username,
                java.nio.file.Path passwordFile) {
            this(urls, keepAlive, willDelay, username, passwordFile, null);
        }

        public static BrokerConfig of(String url) {
            return new BrokerConfig(List.of(url), Duration.ofSeconds(10), Duration.ZERO, null, null, null);
        }

        public BrokerConfig withUrls(List<String> newUrls) {
            return new BrokerConfig(newUrls, keepAlive, willDelay, username, passwordFile, tls, discover);
        }

        public BrokerConfig withDiscover(Discover newDiscover) {
            return new BrokerConfig(urls, keepAlive, willDelay, username, passwordFile, tls, newDiscover);
        }
    }

    // broker.discover
    /**
     * {@code broker.discover: true}: find brokers on the LAN with mDNS ({@code _mqtt._tcp}); those of the agent's site
     * come first, the configured {@code urls} after. Absent (null) when discovery is off.
     *
     * @param address the interface address mDNS runs on ({@code broker.discoverOn}; null: the host's LAN address)
     * @param firstWait how long the agent waits at start for a first broker before it starts connecting anyway
     *                ({@code broker.discoverWait}); brokers found later are still used, at the next connect attempt
     */
    public record Discover(String address, Duration firstWait) {
        public Discover {
            if (firstWait == null || firstWait.isNegative()) {
                throw new ConfigException("broker.discoverWait must be zero or positive");
            }
        }
    }

    /**
     * TLS towards an {@code ssl://} broker: the site CA to trust, and for mutual TLS the board's certificate and key.
     *
     * @param certFile null unless the broker wants client certificates
     */
    public record Tls(java.nio.file.Path caFile, java.nio.file.Path certFile, java.nio.file.Path keyFile) {
        public Tls {
            Objects.requireNonNull(caFile, "broker.caFile");
            if ((certFile == null) != (keyFile == null)) {
                throw new ConfigException("broker.certFile and broker.keyFile go together: give both or neither");
            }
        }
    }

    /** How the agent keeps time ({@code time.mode}). */
    public enum TimeMode {
        NONE, NTP, CRISTIAN, BOUNDED, BERKELEY
    }

    /**
     * The {@code time:} section.
     *
     * @param mode              none (no synchronisation), ntp (default when a section is given), cristian, bounded, berkeley
     * @param servers           time server ids on this site, in preference order (ntp, cristian, bounded)
     * @param minPoll           interval between bursts at start and after a disturbance
     * @param maxPoll           longest interval between bursts
     * @param minTransit        bounded mode: Tmin, the least one-way transmission time
     * @param maxTransit        bounded mode: Tmax, the largest one-way transmission time
     * @param driftFile         where the frequency estimate is checkpointed; relative paths are under stateDir
     * @param serve             also answer time requests (at our stratum + 1, or 1 with {@code reference})
     * @param reference         the device clock is itself a reference (a host disciplined by chrony or GPS): stratum 1
     * @param berkeleyTolerance berkeley: offsets further than this from the median are left out of the average
     * @param berkeleyPeriod    berkeley: interval between the master's rounds
     * @param ntpPort           with {@code serve}: also answer NTP/SNTP clients on this UDP port; null: no NTP server
     * @param chrony            feed the disciplined clock to chronyd as a SOCK refclock; null: no feed
     */
    public record TimeConfig(TimeMode mode, List<String> servers, Duration minPoll, Duration maxPoll,
            Duration minTransit, Duration maxTransit, java.nio.file.Path driftFile, boolean serve, boolean reference,
            Duration berkeleyTolerance, Duration berkeleyPeriod, Integer ntpPort, Chrony chrony) {
        /** Without NTP server and chrony feed. */
        public TimeConfig(TimeMode mode, List<String> servers, Duration minPoll, Duration maxPoll,
                Duration minTransit, Duration maxTransit, java.nio.file.Path driftFile, boolean serve,
                boolean reference, Duration berkeleyTolerance, Duration berkeleyPeriod) {
            this(mode, servers, minPoll, maxPoll, minTransit, maxTransit, driftFile, serve, reference,
                    berkeleyTolerance, berkeleyPeriod, null, null);
        }

        public static final TimeConfig NONE = new TimeConfig(TimeMode.NONE, List.of(), Duration.ofMillis(250),
                Duration.ofSeconds(64), null, null, java.nio.file.Path.of("drift"), false, false, Duration.ofSeconds(10),
                Duration.ofSeconds(30));

        public TimeConfig {
            Objects.requireNonNull(mode, "time.mode");
            servers = List.copyOf(servers);
            servers.forEach(s -> Ids.require(s, "time.servers"));
            requirePositive(minPoll, "time.minPoll");
            requirePositive(maxPoll, "time.maxPoll");
            if (maxPoll.compareTo(minPoll) < 0) {
                throw new ConfigException("time.maxPoll must not be shorter than time.minPoll");
            }
            Objects.requireNonNull(driftFile, "time.driftFile");
            requirePositive(berkeleyTolerance, "time.berkeley.tolerance");
            requirePositive(berkeleyPeriod, "time.berkeley.period");
            boolean polls = mode == TimeMode.NTP || mode == TimeMode.CRISTIAN || mode == TimeMode.BOUNDED;
            if (polls && servers.isEmpty() && !reference) {
                throw new ConfigException("time.servers: mode " + mode.name().toLowerCase(java.util.Locale.ROOT)
                        + " needs at least one time server id");
            }
            if (mode == TimeMode.BOUNDED && (minTransit == null || maxTransit == null || minTransit.isNegative()
                    || maxTransit.compareTo(minTransit) < 0)) {
                throw new ConfigException("time.minTransit/maxTransit: bounded mode needs 0 <= minTransit <= maxTransit");
            }
            if (reference && mode == TimeMode.BERKELEY) {
                throw new ConfigException("time.reference: a reference clock does not take part in Berkeley rounds");
            }
            if (ntpPort != null && (ntpPort < 1 || ntpPort > 65_535)) {
                throw new ConfigException("time.ntpPort: " + ntpPort + " is not a UDP port (1-65535)");
            }
            if (ntpPort != null && !serve) {
                throw new ConfigException("time.ntpPort: the NTP server runs only with time.serve: true");
            }
            if (chrony != null && reference) {
                throw new ConfigException("time.chrony: with time.reference the agent's clock is the system clock"
                        + " chronyd keeps; feeding it back to chronyd would be a loop");
            }
            if (chrony != null && mode == TimeMode.NONE) {
                throw new ConfigException("time.chrony: mode none never synchronises, so there is nothing to feed");
            }
        }

        /** A client of {@code servers} in ntp mode, with the other settings at their defaults. */
        public static TimeConfig ntp(List<String> servers) {
            return new TimeConfig(TimeMode.NTP, servers, NONE.minPoll, NONE.maxPoll, null, null, NONE.driftFile, false,
                    false, NONE.berkeleyTolerance, NONE.berkeleyPeriod);
        }
    }

    /**
     * {@code time.chrony}: hand the disciplined clock to chronyd ({@code refclock SOCK}); the device clock must be the
     * board's system clock.
     *
     * @param socket        chronyd's refclock socket (the path in its {@code refclock SOCK} line)
     * @param maxErrorBound samples are sent only while the clock is synchronised within this bound
     * @param interval      one sample per interval
     */
    public record Chrony(java.nio.file.Path socket, Duration maxErrorBound, Duration interval) {
        public static final java.nio.file.Path DEFAULT_SOCKET = java.nio.file.Path.of("/run/edgekit-chrony/refclock.sock");

        public Chrony {
            if (socket == null || !socket.isAbsolute()) {
                throw new ConfigException("time.chrony.socket: '" + socket + "' is not an absolute path");
            }
            requirePositive(maxErrorBound, "time.chrony.maxErrorBound");
            requirePositive(interval, "time.chrony.interval");
            if (interval.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new ConfigException("time.chrony.interval: " + interval + " is longer than 1 minute");
            }
        }
    }

    /**
     * The {@code outbox:} section. On overflow the oldest telemetry is dropped first, events are kept while
     * any telemetry is left; what is dropped is counted in the heartbeat.
     *
     * @param maxEntries bound on undelivered entries on disk
     * @param maxBytes   bound on their payload + topic bytes
     * @param durability {@code full} (fsync every commit: survives power loss) or {@code normal} (survives a crash of
     *                   the agent, not of the OS or the power)
     * @param cacheBytes SQLite's page cache for the outbox database: the outbox appends at one end and reads the other,
     *                   so a small cache serves it (SQLite's own default, ~2 MB per connection, costs a fleet of
     *                   simulated agents gigabytes)
     */
    public record OutboxSettings(long maxEntries, long maxBytes, Durability durability, long cacheBytes) {
        public static final long DEFAULT_CACHE_BYTES = 256 * 1024;
        public static final long MIN_CACHE_BYTES = 16 * 1024;
        public static final long MAX_CACHE_BYTES = 64L * 1024 * 1024;
        public static final OutboxSettings DEFAULTS = new OutboxSettings(1_000_000, 256L * 1024 * 1024,
                Durability.FULL);

        /** With the default page cache. */
        public OutboxSettings(long maxEntries, long maxBytes, Durability durability) {
            this(maxEntries, maxBytes, durability, DEFAULT_CACHE_BYTES);
        }

        public OutboxSettings {
            if (cacheBytes < MIN_CACHE_BYTES || cacheBytes > MAX_CACHE_BYTES) {
                throw new ConfigException("outbox.cacheBytes: " + cacheBytes + " is out of range: between 16KiB and"
                        + " 64MiB");
            }
            if (maxEntries <= 0) {
                throw new ConfigException("outbox.maxEntries must be positive, not " + maxEntries);
            }
            if (maxBytes <= 0) {
                throw new ConfigException("outbox.maxBytes must be positive, not " + maxBytes);
            }
            Objects.requireNonNull(durability, "outbox.durability");
        }
    }

    /**
     * The {@code interop:} section: how the device also shows itself to tools that do not speak edgekit's topics.
     *
     * @param homeAssistant   publish Home Assistant MQTT discovery for this device (retained, device-based)
     * @param discoveryPrefix Home Assistant's discovery prefix ({@code homeassistant} unless changed there)
     * @param sparkplug       also be a Sparkplug B edge node; null: off
     */
    public record Interop(boolean homeAssistant, String discoveryPrefix, Sparkplug sparkplug) {
        public static final Interop NONE = new Interop(false, "homeassistant", null);

        public Interop {
            if (discoveryPrefix == null || !discoveryPrefix.matches("[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*")) {
                throw new ConfigException("interop.discoveryPrefix: '" + discoveryPrefix
                        + "' is not a topic prefix like homeassistant (letters, digits, '_', '-', '/')");
            }
        }
    }

    /**
     * {@code interop.sparkplug}: the device is a Sparkplug B edge node {@code spBv1.0/{group}/…/{device id}}.
     *
     * @param group the Sparkplug group id (default: the site)
     */
    public record Sparkplug(String group) {
        public Sparkplug {
            if (group == null || !group.matches("[A-Za-z0-9_.-]{1,64}")) {
                throw new ConfigException("interop.sparkplug.group: '" + group
                        + "' is not a Sparkplug group id (1-64 of letters, digits, '_', '.', '-')");
            }
        }
    }

    /**
     * The {@code shadow:} section.
     *
     * @param enabled follow the shadow's desired state and report what was done
     */
    public record ShadowSettings(boolean enabled) {
        public static final ShadowSettings DEFAULTS = new ShadowSettings(false);
    }
}
