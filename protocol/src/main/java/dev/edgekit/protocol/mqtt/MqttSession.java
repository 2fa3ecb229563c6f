package dev.edgekit.protocol.mqtt;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The one MQTT 5 session wrapper (over Eclipse Paho v5). It connects with a Last Will, keeps reconnecting with
 * jittered exponential backoff (the first connect too, which Paho never retries), resubscribes after every connect,
 * stamps the logical clocks on every publish and merges them on every receive, and offers request/response.
 *
 * <p>Threading (ARCHITECTURE.md; Paho #310, #999): Paho's callback thread only records the arrival time and hands the message to this
 * session's handler executor, which runs handlers one at a time in arrival order. A handler that throws is logged and
 * counted; it never kills the session. No method here blocks; results come as futures.
 *
 * <p>Create one with {@link #builder()}.
 */
public interface MqttSession extends AutoCloseable {

    static MqttSessionBuilder builder() {
        return new MqttSessionBuilder();
    }

    String clientId();

    /**
     * Starts connecting. The future completes at the first successful connect; attempts go on (with backoff) until
     * then or until {@link #close()}. Call once.
     */
    CompletableFuture<Void> connect();

    boolean isConnected();

    /** The broker URI of the current connection, or null while disconnected. */
    String connectedServer();

    /**
     * The broker's Receive Maximum from the last CONNACK (MQTT 5 §3.2.2.3.3): how many QoS 1 and 2 publishes it takes
     * unacknowledged at once; a publish past it fails. 65,535 (no limit said) before the first connect.
     */
    default int serverReceiveMaximum() {
        return 65_535;
    }

    /**
     * Publishes. Completes when the message is handed to the socket (QoS 0) or acknowledged by the broker (QoS 1 and
     * 2); fails at once with {@link MqttSessionException} while disconnected, or when the broker refuses it.
     */
    CompletableFuture<Void> publish(Outgoing message);

    /** Subscribes {@code handler} to {@code filter}, now and after every reconnect. */
    Subscription subscribe(String filter, int qos, Consumer<Inbound> handler);

    /**
     * Sends an MQTT 5 request (response topic + fresh correlation data) and completes with the reply, or fails with
     * {@link java.util.concurrent.TimeoutException} after {@code timeout}. The session subscribes to
     * {@code responseTopic} on first use and keeps it.
     */
    CompletableFuture<Inbound> request(Outgoing request, String responseTopic, Duration timeout);

    /** Replies to a request on its response topic with its correlation data. */
    CompletableFuture<Void> respond(Inbound request, byte[] payload, int qos);

    void addConnectionListener(ConnectionListener listener);

    SessionStats stats();

    /**
     * Drops the connection as a crash would, without a DISCONNECT packet, so the broker publishes the Will; stops
     * reconnecting. For simulations and tests of what a fleet does when one of its agents dies.
     */
    void abort();

    /** Disconnects cleanly (the broker discards the Will) and stops reconnecting; waits at most {@code timeout}. */
    void close(Duration timeout);

    @Override
    default void close() {
        close(Duration.ofSeconds(2));
    }
}
