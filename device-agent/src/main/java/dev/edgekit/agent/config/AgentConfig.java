package dev.edgekit.agent.config;

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
 */
public record AgentConfig(String site, String id, String name, BrokerConfig broker, Duration heartbeatInterval,
        BoardKind board, HardwareConfig hardware, java.nio.file.Path stateDir) {

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
    }

    static Duration requirePositive(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new ConfigException(what + " must be a positive duration, not " + d);
        }
        return d;
    }

    public AgentConfig withId(String newId) {
        return new AgentConfig(site, newId, name, broker, heartbeatInterval, board, hardware, stateDir);
    }

    public AgentConfig withBroker(BrokerConfig newBroker) {
        return new AgentConfig(site, id, name, newBroker, heartbeatInterval, board, hardware, stateDir);
    }

    public AgentConfig withBoard(BoardKind newBoard) {
        return new AgentConfig(site, id, name, broker, heartbeatInterval, newBoard, hardware, stateDir);
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
            java.nio.file.Path passwordFile, Tls tls) {
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

        /** Without TLS. */
        public BrokerConfig(List<String> urls, Duration keepAlive, Duration willDelay, String username,
                java.nio.file.Path passwordFile) {
            this(urls, keepAlive, willDelay, username, passwordFile, null);
        }

        public static BrokerConfig of(String url) {
            return new BrokerConfig(List.of(url), Duration.ofSeconds(10), Duration.ZERO, null, null, null);
        }

        public BrokerConfig withUrls(List<String> newUrls) {
            return new BrokerConfig(newUrls, keepAlive, willDelay, username, passwordFile, tls);
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
}
