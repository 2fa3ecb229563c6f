package dev.edgekit.agent.runtime;

import dev.edgekit.protocol.mqtt.ConnectionListener;
import dev.edgekit.protocol.mqtt.Inbound;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.protocol.mqtt.Outgoing;
import dev.edgekit.protocol.mqtt.SessionStats;
import dev.edgekit.protocol.mqtt.Subscription;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** An {@link MqttSession} without a broker: records subscriptions and replies, delivers inbound messages by hand. */
final class FakeSession implements MqttSession {
    record Reply(Inbound request, byte[] payload, int qos) {
    }

    record Subscribed(String filter, Consumer<Inbound> handler) {
    }

    final List<Subscribed> subscriptions = new CopyOnWriteArrayList<>();
    final List<Reply> replies = new CopyOnWriteArrayList<>();

    static Inbound request(String topic, byte[] payload) {
        return request(topic, payload, topic.substring(0, topic.lastIndexOf("/cmd/")) + "/reply/operator");
    }

    static Inbound request(String topic, byte[] payload, String responseTopic) {
        return new Inbound(topic, payload, 1, false, false, Map.of(), Optional.empty(), responseTopic,
                new byte[] {1, 2, 3}, Instant.EPOCH);
    }

    static Inbound plain(String topic, byte[] payload) {
        return new Inbound(topic, payload, 1, false, false, Map.of(), Optional.empty(), null, null, Instant.EPOCH);
    }

    /** Hands {@code message} to every handler whose filter is exactly its topic's filter (tests use one filter). */
    void deliver(Inbound message) {
        subscriptions.forEach(s -> s.handler().accept(message));
    }

    @Override
    public String clientId() {
        return "fake";
    }

    @Override
    public CompletableFuture<Void> connect() {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public boolean isConnected() {
        return true;
    }

    @Override
    public String connectedServer() {
        return null;
    }

    @Override
    public CompletableFuture<Void> publish(Outgoing message) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public Subscription subscribe(String filter, int qos, Consumer<Inbound> handler) {
        Subscribed subscribed = new Subscribed(filter, handler);
        subscriptions.add(subscribed);
        return new Subscription() {
            @Override
            public String filter() {
                return filter;
            }

            @Override
            public CompletableFuture<Void> granted() {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public void cancel() {
                subscriptions.remove(subscribed);
            }
        };
    }

    @Override
    public CompletableFuture<Inbound> request(Outgoing request, String responseTopic, Duration timeout) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<Void> respond(Inbound request, byte[] payload, int qos) {
        replies.add(new Reply(request, payload, qos));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void addConnectionListener(ConnectionListener listener) {
    }

    @Override
    public SessionStats stats() {
        return new SessionStats(0, 0, 0, 0, 0, 0, 0, 0);
    }

    @Override
    public void close(Duration timeout) {
    }

    @Override
    public void abort() {
    }
}
