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
 * @param stateDir  where the agent keeps its durable state (outbox, checkpoints, drift file)
 * @param outbox    bounds and durability of the outbox at {@code {stateDir}/outbox.db}
 */
public record AgentConfig(String site, String id, String name, BrokerConfig broker, Duration heartbeatInterval,
        BoardKind board, List<SensorConfig> sensors, java.nio.file.Path stateDir, OutboxSettings outbox) {

    /** Without an {@code outbox:} section: the outbox defaults. */
    public AgentConfig(String site, String id, String name, BrokerConfig broker, Duration heartbeatInterval,
            BoardKind board, List<SensorConfig> sensors, java.nio.file.Path stateDir) {
        this(site, id, name, broker, heartbeatInterval, board, sensors, stateDir, OutboxSettings.DEFAULTS);
    }

    public AgentConfig {
        Ids.require(site, "site");
        if (id != null) {
            Ids.require(id, "id");
        }
        Objects.requireNonNull(broker, "broker");
        requirePositive(heartbeatInterval, "heartbeat");
        Objects.requireNonNull(board, "board");
        sensors = List.copyOf(sensors);
        Objects.requireNonNull(stateDir, "stateDir");
        outbox = outbox == null ? OutboxSettings.DEFAULTS : outbox;
    }

    static Duration requirePositive(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new ConfigException(what + " must be a positive duration, not " + d);
        }
        return d;
    }

    public AgentConfig withId(String newId) {
        return new AgentConfig(site, newId, name, broker, heartbeatInterval, board, sensors, stateDir, outbox);
    }

    public AgentConfig withBroker(BrokerConfig newBroker) {
        return new AgentConfig(site, id, name, newBroker, heartbeatInterval, board, sensors, stateDir, outbox);
    }

    public AgentConfig withBoard(BoardKind newBoard) {
        return new AgentConfig(site, id, name, broker, heartbeatInterval, newBoard, sensors, stateDir, outbox);
    }

    public AgentConfig withOutbox(OutboxSettings newOutbox) {
        return new AgentConfig(site, id, name, broker, heartbeatInterval, board, sensors, stateDir, newOutbox);
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
            java.nio.file.Path passwordFile) {
        public BrokerConfig {
            urls = List.copyOf(urls);
            if (urls.isEmpty()) {
                throw new ConfigException("broker.urls: at least one broker URL is needed");
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

        public static BrokerConfig of(String url) {
            return new BrokerConfig(List.of(url), Duration.ofSeconds(10), Duration.ZERO, null, null);
        }
    }

    /**
     * One sensor channel to sample.
     *
     * @param entry    where it came from in the config, e.g. {@code sensors[0]}, for error messages
     * @param type     the driver ({@code simulated-temperature} until the hardware layer brings real ones)
     */
    public record SensorConfig(String entry, String channel, String type, String unit, Duration interval) {
        public SensorConfig {
            Objects.requireNonNull(channel, entry + ".channel");
            requirePositive(interval, entry + ".interval");
        }
    }

    /**
     * The {@code outbox:} section (DESIGN §6). On overflow the oldest telemetry is dropped first, events are kept while
     * any telemetry is left; what is dropped is counted in the heartbeat.
     *
     * @param maxEntries bound on undelivered entries on disk
     * @param maxBytes   bound on their payload + topic bytes
     * @param durability {@code full} (fsync every commit: survives power loss) or {@code normal} (survives a crash of
     *                   the agent, not of the OS or the power)
     */
    public record OutboxSettings(long maxEntries, long maxBytes, Durability durability) {
        public static final OutboxSettings DEFAULTS = new OutboxSettings(1_000_000, 256L * 1024 * 1024,
                Durability.FULL);

        public OutboxSettings {
            if (maxEntries <= 0) {
                throw new ConfigException("outbox.maxEntries must be positive, not " + maxEntries);
            }
            if (maxBytes <= 0) {
                throw new ConfigException("outbox.maxBytes must be positive, not " + maxBytes);
            }
            Objects.requireNonNull(durability, "outbox.durability");
        }
    }
}
