package dev.edgekit.protocol.mqtt;

import dev.edgekit.protocol.clock.HlcTimestamp;
import dev.edgekit.protocol.clock.HybridLogicalClock;
import dev.edgekit.protocol.clock.LogicalClocks;
import dev.edgekit.protocol.clock.Stamp;
import dev.edgekit.protocol.clock.StampRefusedException;
import dev.edgekit.protocol.topic.Topics;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import javax.net.SocketFactory;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link MqttSession} over Paho's {@link MqttAsyncClient}, with reconnects of our own. */
final class PahoSession implements MqttSession, MqttCallback {
    private static final Logger log = LoggerFactory.getLogger(PahoSession.class);

    private final MqttSessionBuilder config;
    private final MqttAsyncClient client;
    private final InstantSource clock;
    private final LogicalClocks logicalClocks;
    private final ScheduledExecutorService scheduler;
    private final Executor handlers;
    private final RandomGenerator random;
    private final SocketFactory socketFactory;

    private final List<Handler> subscriptions = new CopyOnWriteArrayList<>();
    private final Map<String, CompletableFuture<Void>> replyInboxes = new ConcurrentHashMap<>();
    private final Map<ByteBuffer, CompletableFuture<Inbound>> pendingRequests = new ConcurrentHashMap<>();
    private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> firstConnect = new CompletableFuture<>();
    private final AtomicLong correlationCounter = new AtomicLong();
    private final long correlationNonce;

    private final AtomicLong connects = new AtomicLong();
    private final AtomicLong connectFailures = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong publishFailures = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong handlerFailures = new AtomicLong();
    private final AtomicLong badStamps = new AtomicLong();
    private final AtomicLong unmatchedReplies = new AtomicLong();

    private final Object lock = new Object();
    private volatile boolean closed;
    private volatile String connectedServer;
    private volatile int serverReceiveMaximum = 65_535;
    private boolean started;
    private int failedAttempts;
    private String preferredServer;
    private ScheduledFuture<?> pendingReconnect;

    PahoSession(MqttSessionBuilder config) {
        this.config = config;
        this.clock = config.clock;
        this.logicalClocks = config.logicalClocks != null ? config.logicalClocks : LogicalClocks.startingAt(clock);
        this.scheduler = config.scheduler != null ? config.scheduler : SharedExecutors.scheduler();
        this.handlers = new SerialExecutor(config.handlerExecutor != null ? config.handlerExecutor
                : SharedExecutors.handlers());
        this.random = config.random != null ? config.random : RandomGenerator.getDefault();
        this.correlationNonce = random.nextLong();
        SocketFactory given = config.socketFactory != null ? config.socketFactory
                : config.wireStamps ? new StampingSocketFactory(() -> epochNanos(clock.instant()))
                : SocketFactory.getDefault();
        this.socketFactory = AdjustingSocketFactory.of(given, AdjustingSocketFactory.NO_DELAY);
        // with a server supplier the list may be empty at build; Paho's constructor still wants one URI,
        // which the options' server list (never empty, see serversForAttempt) always overrides
        List<String> initial = serversForAttempt();
        this.preferredServer = initial.isEmpty() ? null : initial.get(0);
        try {
            // MemoryPersistence: Paho's default writes files into the working directory
            this.client = new MqttAsyncClient(preferredServer != null ? preferredServer : PLACEHOLDER_URI,
                    config.clientId, new MemoryPersistence(), null,
                    config.pahoExecutor);
        } catch (MqttException e) {
            throw new IllegalArgumentException("cannot create MQTT client for " + preferredServer + ": "
                    + e.getMessage(), e);
        }
        client.setCallback(this);
    }

    private static long epochNanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    @Override
    public String clientId() {
        return config.clientId;
    }

    // ---- connecting ----------------------------------------------------------------------------------------------

    @Override
    public CompletableFuture<Void> connect() {
        synchronized (lock) {
            if (!started) {
                started = true;
                attemptConnect();
            }
        }
        return firstConnect;
    }

    private void attemptConnect() {
        if (closed) {
            return;
        }
        MqttConnectionOptions options;
        try {
            options = connectionOptions();
        } catch (IllegalStateException e) { // no broker known yet (discovery)
            onConnectFailed(e);
            return;
        }
        try {
            client.connect(options, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    serverReceiveMaximum = receiveMaximum(token);
                    onConnected(token.getSessionPresent());
                }

                @Override
                public void onFailure(IMqttToken token, Throwable failure) {
                    onConnectFailed(failure);
                }
            });
        } catch (MqttException | RuntimeException e) {
            onConnectFailed(e);
        }
    }

    private static final String PLACEHOLDER_URI = "tcp://127.0.0.1:1883";

    /** The fixed servers, then those the supplier gives now (valid URIs only, no duplicates). */
    private List<String> serversForAttempt() {
        List<String> all = new ArrayList<>(config.servers);
        if (config.serverSupplier != null) {
            List<String> supplied;
            try {
                supplied = config.serverSupplier.get();
            } catch (RuntimeException e) {
                log.warn("{}: broker list supplier failed: {}", config.clientId, e.toString());
                supplied = List.of();
            }
            for (String uri : supplied == null ? List.<String>of() : supplied) {
                if (uri != null && (uri.startsWith("tcp://") || uri.startsWith("ssl://")) && !all.contains(uri)) {
                    all.add(uri);
                }
            }
        }
        return all;
    }

    private MqttConnectionOptions connectionOptions() {
        MqttConnectionOptions options = new MqttConnectionOptions();
        List<String> order = serversForAttempt(); // asked anew per attempt
        if (order.isEmpty()) {
            throw new IllegalStateException("no broker known yet"); // a failed attempt, retried
        }
        synchronized (lock) {
            if (order.remove(preferredServer)) {
                order.add(0, preferredServer);
            }
        }
        options.setServerURIs(order.toArray(String[]::new));
        options.setAutomaticReconnect(false); // we reconnect ourselves: Paho never retries a failed first connect
        options.setCleanStart(config.cleanStart);
        long sessionExpirySeconds = config.sessionExpiry.toSeconds();
        options.setKeepAliveInterval((int) config.keepAlive.toSeconds());
        options.setConnectionTimeout((int) Math.max(1, config.connectTimeout.toSeconds()));
        options.setSocketFactory(socketFactory);
        if (config.username != null) {
            options.setUserName(config.username);
        }
        if (config.password != null) {
            options.setPassword(config.password.clone());
        }
        if (config.will != null) {
            Will will = config.will.get();
            MqttMessage message = new MqttMessage(will.payload(), will.qos(), will.retain(), null);
            options.setWill(will.topic(), message);
            MqttProperties willProperties = new MqttProperties();
            willProperties.setWillDelayInterval(will.delay().toSeconds());
            options.setWillMessageProperties(willProperties);
            // MQTT 5 §3.1.3.2.2: a Will fires when its delay passes *or the session ends*, so a delayed Will needs a
            // session that outlives the delay (HiveMQ follows this to the letter; Mosquitto 2.0 does not)
            sessionExpirySeconds = Math.max(sessionExpirySeconds, will.delay().toSeconds());
        }
        options.setSessionExpiryInterval(sessionExpirySeconds);
        return options;
    }

    private void onConnected(boolean sessionPresent) {
        String server = client.getCurrentServerURI();
        synchronized (lock) {
            failedAttempts = 0;
            preferredServer = server;
        }
        connectedServer = server;
        connects.incrementAndGet();
        log.info("{}: connected to {}{}", config.clientId, server, sessionPresent ? " (session present)" : "");
        resubscribe();
        handlers.execute(() -> {
            for (ConnectionListener listener : listeners) {
                runSafely(() -> listener.connected(server, sessionPresent), "connection listener");
            }
        });
        firstConnect.complete(null);
    }

    private void onConnectFailed(Throwable failure) {
        connectFailures.incrementAndGet();
        Duration delay;
        synchronized (lock) {
            failedAttempts++;
            delay = backoff(failedAttempts);
            if (failedAttempts == 1) {
                log.warn("{}: cannot connect to {}: {}; retrying with backoff", config.clientId, config.servers,
                        describe(failure));
            } else {
                log.debug("{}: connect attempt {} failed: {}; next in {} ms", config.clientId, failedAttempts,
                        describe(failure), delay.toMillis());
            }
        }
        scheduleReconnect(delay);
    }

    private void scheduleReconnect(Duration delay) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            pendingReconnect = scheduler.schedule(this::attemptConnect, delay.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** Exponential backoff with jitter: uniformly between half and all of min·2^(n−1), capped at max. */
    private Duration backoff(int attempt) {
        long min = config.reconnectMin.toNanos();
        long max = config.reconnectMax.toNanos();
        long ceiling = attempt >= 30 ? max : Math.min(max, min << Math.min(attempt - 1, 30));
        return Duration.ofNanos(ceiling / 2 + random.nextLong(ceiling / 2 + 1));
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
        connectedServer = null;
        Throwable cause = response.getException() != null ? response.getException()
                : new MqttSessionException("broker disconnected: reason " + response.getReturnCode()
                        + (response.getReasonString() != null ? " " + response.getReasonString() : ""),
                        response.getReturnCode(), null);
        if (closed) {
            return;
        }
        log.warn("{}: connection lost: {}", config.clientId, describe(cause));
        handlers.execute(() -> {
            for (ConnectionListener listener : listeners) {
                runSafely(() -> listener.disconnected(cause), "connection listener");
            }
        });
        scheduleReconnect(backoff(1));
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
        log.warn("{}: MQTT error: {}", config.clientId, describe(exception));
    }

    @Override
    public boolean isConnected() {
        return connectedServer != null && client.isConnected();
    }

    @Override
    public String connectedServer() {
        return connectedServer;
    }

    @Override
    public int serverReceiveMaximum() {
        return serverReceiveMaximum;
    }

    /** The CONNACK's Receive Maximum; absent means 65,535 (MQTT 5 §3.2.2.3.3). */
    private static int receiveMaximum(IMqttToken token) {
        if (token.getResponse() instanceof org.eclipse.paho.mqttv5.common.packet.MqttConnAck connack
                && connack.getProperties() != null && connack.getProperties().getReceiveMaximum() != null) {
            return Math.max(1, connack.getProperties().getReceiveMaximum());
        }
        return 65_535;
    }

    @Override
    public void addConnectionListener(ConnectionListener listener) {
        listeners.add(listener);
    }

    // ---- publishing ----------------------------------------------------------------------------------------------

    @Override
    public CompletableFuture<Void> publish(Outgoing message) {
        return publish(message, null, null);
    }

    private CompletableFuture<Void> publish(Outgoing message, String responseTopic, byte[] correlationData) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (closed) {
            return failed(done, new MqttSessionException("session closed", -1, null));
        }
        Stamp stamp = logicalClocks.send();
        MqttProperties properties = new MqttProperties();
        List<UserProperty> user = new ArrayList<>(message.userProperties().size() + 2);
        user.add(new UserProperty(Stamp.HLC_PROPERTY, stamp.hlc().toString()));
        user.add(new UserProperty(Stamp.LAMPORT_PROPERTY, Long.toString(stamp.lamport())));
        message.userProperties().forEach((key, value) -> user.add(new UserProperty(key, value)));
        properties.setUserProperties(user);
        if (responseTopic != null) {
            properties.setResponseTopic(responseTopic);
        }
        if (correlationData != null) {
            properties.setCorrelationData(correlationData);
        }
        if (message.messageExpiry() != null) {
            properties.setMessageExpiryInterval(message.messageExpiry().toSeconds());
        }
        MqttMessage mqtt = new MqttMessage(message.payload(), message.qos(), message.retain(), properties);
        try {
            client.publish(message.topic(), mqtt, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    int refused = refusal(token);
                    if (refused >= 0) {
                        failed(done, new MqttSessionException("broker refused publish to " + message.topic()
                                + ": reason " + refused, refused, null));
                    } else {
                        published.incrementAndGet();
                        done.complete(null);
                    }
                }

                @Override
                public void onFailure(IMqttToken token, Throwable failure) {
                    failed(done, wrap("publish to " + message.topic(), failure));
                }
            });
        } catch (MqttException | RuntimeException e) {
            failed(done, wrap("publish to " + message.topic(), e));
        }
        return done;
    }

    private <T> CompletableFuture<T> failed(CompletableFuture<T> future, Throwable failure) {
        publishFailures.incrementAndGet();
        future.completeExceptionally(failure);
        return future;
    }

    /** The first MQTT 5 reason code ≥ 0x80 in an acknowledgement, or −1 when all succeeded. */
    private static int refusal(IMqttToken token) {
        int[] codes = token.getReasonCodes();
        if (codes != null) {
            for (int code : codes) {
                if (code >= 0x80) {
                    return code;
                }
            }
        }
        return -1;
    }

    // ---- subscribing ---------------------------------------------------------------------------------------------

    @Override
    public Subscription subscribe(String filter, int qos, Consumer<Inbound> handler) {
        Handler subscription = new Handler(filter, qos, handler);
        subscriptions.add(subscription);
        if (isConnected()) {
            subscribeAtBroker(filter, qos, subscription.granted);
        }
        return subscription;
    }

    private void resubscribe() {
        Map<String, Integer> filters = new LinkedHashMap<>();
        Map<String, List<CompletableFuture<Void>>> waiting = new HashMap<>();
        for (Handler handler : subscriptions) {
            filters.merge(handler.filter, handler.qos, Math::max);
            waiting.computeIfAbsent(handler.filter, f -> new ArrayList<>()).add(handler.granted);
        }
        for (String inbox : replyInboxes.keySet()) {
            filters.merge(inbox, 0, Math::max);
            waiting.computeIfAbsent(inbox, f -> new ArrayList<>()).add(replyInboxes.get(inbox));
        }
        filters.forEach((filter, qos) -> {
            CompletableFuture<Void> granted = new CompletableFuture<>();
            granted.whenComplete((ok, failure) -> waiting.get(filter).forEach(w -> {
                if (failure == null) {
                    w.complete(null);
                } else {
                    w.completeExceptionally(failure);
                }
            }));
            subscribeAtBroker(filter, qos, granted);
        });
    }

    private void subscribeAtBroker(String filter, int qos, CompletableFuture<Void> granted) {
        try {
            client.subscribe(filter, qos, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    int refused = refusal(token);
                    if (refused >= 0) {
                        log.warn("{}: broker refused subscription to {}: reason {}", config.clientId, filter, refused);
                        granted.completeExceptionally(new MqttSessionException("broker refused subscription to "
                                + filter + ": reason " + refused, refused, null));
                    } else {
                        granted.complete(null);
                    }
                }

                @Override
                public void onFailure(IMqttToken token, Throwable failure) {
                    // a disconnect in between: the next connect resubscribes
                    log.debug("{}: subscribe to {} failed: {}", config.clientId, filter, describe(failure));
                }
            });
        } catch (MqttException | RuntimeException e) {
            log.debug("{}: subscribe to {} not sent: {}", config.clientId, filter, describe(e));
        }
    }

    private final class Handler implements Subscription {
        final String filter;
        final int qos;
        final Consumer<Inbound> consumer;
        final CompletableFuture<Void> granted = new CompletableFuture<>();

        Handler(String filter, int qos, Consumer<Inbound> consumer) {
            this.filter = filter;
            this.qos = qos;
            this.consumer = consumer;
        }

        @Override
        public String filter() {
            return filter;
        }

        @Override
        public CompletableFuture<Void> granted() {
            return granted;
        }

        @Override
        public void cancel() {
            subscriptions.remove(this);
            boolean stillNeeded = subscriptions.stream().anyMatch(h -> h.filter.equals(filter))
                    || replyInboxes.containsKey(filter);
            if (!stillNeeded && isConnected()) {
                try {
                    client.unsubscribe(filter);
                } catch (MqttException e) {
                    log.debug("{}: unsubscribe from {} failed: {}", config.clientId, filter, describe(e));
                }
            }
        }
    }

    // ---- receiving (Paho's callback thread: record, hand off, return) --------------------------------------------

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        Instant receivedAt = clock.instant();
        received.incrementAndGet();
        MqttProperties properties = message.getProperties();
        Map<String, String> user = new LinkedHashMap<>();
        if (properties != null && properties.getUserProperties() != null) {
            for (UserProperty property : properties.getUserProperties()) {
                user.putIfAbsent(property.getKey(), property.getValue());
            }
        }
        Optional<Stamp> stamp = mergeStamp(topic, user);
        Inbound inbound = new Inbound(topic, message.getPayload(), message.getQos(), message.isRetained(),
                message.isDuplicate(), Map.copyOf(user), stamp,
                properties == null ? null : properties.getResponseTopic(),
                properties == null ? null : properties.getCorrelationData(), receivedAt);

        if (inbound.correlationData() != null && replyInboxes.containsKey(topic)) {
            CompletableFuture<Inbound> pending = pendingRequests.remove(ByteBuffer.wrap(inbound.correlationData()));
            if (pending != null) {
                handlers.execute(() -> pending.complete(inbound));
            } else {
                unmatchedReplies.incrementAndGet();
                log.debug("{}: reply on {} matches no pending request", config.clientId, topic);
            }
            return;
        }
        for (Handler handler : subscriptions) {
            if (Topics.matches(handler.filter, topic)) {
                handlers.execute(() -> runSafely(() -> handler.consumer.accept(inbound), "handler for " + topic));
            }
        }
    }

    private Optional<Stamp> mergeStamp(String topic, Map<String, String> user) {
        String hlc = user.get(Stamp.HLC_PROPERTY);
        String lamport = user.get(Stamp.LAMPORT_PROPERTY);
        if (hlc == null && lamport == null) {
            return Optional.empty(); // a foreign publisher (mosquitto_pub): nothing to merge
        }
        String source = stampSource(topic);
        Stamp remote;
        try {
            remote = new Stamp(Long.parseLong(lamport), HlcTimestamp.parse(hlc));
        } catch (RuntimeException e) {
            logicalClocks.countRefusal(source, StampRefusedException.Reason.MALFORMED);
            badStamps.incrementAndGet();
            log.debug("{}: ignoring malformed logical stamp on {}: {}", config.clientId, topic, e.getMessage());
            return Optional.empty();
        }
        try {
            logicalClocks.receive(source, remote); // counts its own refusals, per source
            return Optional.of(remote);
        } catch (StampRefusedException e) { // implausible: the message is still handled, its stamp is not trusted
            badStamps.incrementAndGet();
            log.debug("{}: ignoring logical stamp on {}: {}", config.clientId, topic, e.getMessage());
            return Optional.empty();
        }
    }

    /** Whom a refused stamp is counted against: the device level of an edgekit topic, else the topic's first level. */
    static String stampSource(String topic) {
        String[] levels = topic.split("/", 5);
        if (levels.length >= 4 && (Topics.ROOT).equals(levels[0] + "/" + levels[1])) {
            return levels[3];
        }
        return levels[0];
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
        // completion is handled by each publish's own listener
    }

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {
        // our own connect listener handles it (Paho's automatic reconnect is off)
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
        log.debug("{}: AUTH packet ignored (reason {})", config.clientId, reasonCode);
    }

    private void runSafely(Runnable task, String what) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            handlerFailures.incrementAndGet();
            log.error("{}: {} failed; the session carries on", config.clientId, what, e);
        }
    }

    // ---- request/response ----------------------------------------------------------------------------------------

    @Override
    public CompletableFuture<Inbound> request(Outgoing request, String responseTopic, Duration timeout) {
        byte[] correlation = ByteBuffer.allocate(16).putLong(correlationNonce)
                .putLong(correlationCounter.incrementAndGet()).array();
        CompletableFuture<Inbound> reply = new CompletableFuture<>();
        ByteBuffer key = ByteBuffer.wrap(correlation);
        pendingRequests.put(key, reply);
        ScheduledFuture<?> timer = scheduler.schedule(() -> {
            if (pendingRequests.remove(key) != null) {
                reply.completeExceptionally(new TimeoutException("no reply to " + request.topic() + " within "
                        + timeout.toMillis() + " ms"));
            }
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        reply.whenComplete((r, e) -> {
            timer.cancel(false);
            pendingRequests.remove(key);
        });
        replyInbox(responseTopic).thenCompose(ready -> publish(request, responseTopic, correlation))
                .whenComplete((sent, failure) -> {
                    if (failure != null) {
                        reply.completeExceptionally(failure);
                    }
                });
        return reply;
    }

    private CompletableFuture<Void> replyInbox(String responseTopic) {
        CompletableFuture<Void> created = new CompletableFuture<>();
        CompletableFuture<Void> existing = replyInboxes.putIfAbsent(responseTopic, created);
        if (existing != null) {
            return existing;
        }
        if (isConnected()) {
            subscribeAtBroker(responseTopic, 0, created);
        }
        return created;
    }

    @Override
    public CompletableFuture<Void> respond(Inbound request, byte[] payload, int qos) {
        if (request.responseTopic() == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("message on " + request.topic()
                    + " is not a request: it has no response topic"));
        }
        // a reply never carries a response topic of its own (MQTT 5 4.10): a reply that asked to be answered would let
        // two responders, or one responder and itself, answer each other for ever
        return publish(Outgoing.of(request.responseTopic(), payload, qos), null, request.correlationData())
                .thenApply(x -> null);
    }

    // ---- the rest ------------------------------------------------------------------------------------------------

    @Override
    public SessionStats stats() {
        return new SessionStats(connects.get(), connectFailures.get(), published.get(), publishFailures.get(),
                received.get(), handlerFailures.get(), badStamps.get(), unmatchedReplies.get());
    }

    @Override
    public void close(Duration timeout) {
        if (!markClosed()) {
            return;
        }
        try {
            if (client.isConnected()) {
                int reason = config.willOnClose ? 0x04 : 0x00; // 0x04: Disconnect with Will Message
                client.disconnect(timeout.toMillis(), null, null, reason, new MqttProperties())
                        .waitForCompletion(timeout.toMillis());
            }
        } catch (MqttException e) {
            log.debug("{}: disconnect: {}", config.clientId, describe(e));
        }
        release();
    }

    @Override
    public void abort() {
        if (!markClosed()) {
            return;
        }
        try {
            client.disconnectForcibly(0, 0, false); // no DISCONNECT packet: the broker sends our Will
        } catch (MqttException e) {
            log.debug("{}: abort: {}", config.clientId, describe(e));
        }
        release();
    }

    /** False when already closed; else stops reconnecting and fails what waits on this session. */
    private boolean markClosed() {
        synchronized (lock) {
            if (closed) {
                return false;
            }
            closed = true;
            if (pendingReconnect != null) {
                pendingReconnect.cancel(false);
            }
        }
        MqttSessionException closing = new MqttSessionException("session closed", -1, null);
        pendingRequests.values().forEach(p -> p.completeExceptionally(closing));
        firstConnect.completeExceptionally(closing);
        return true;
    }

    private void release() {
        connectedServer = null;
        try {
            client.close(true);
        } catch (MqttException e) {
            log.debug("{}: close: {}", config.clientId, describe(e));
        }
    }

    private static MqttSessionException wrap(String what, Throwable failure) {
        if (failure instanceof MqttSessionException e) {
            return e;
        }
        int code = failure instanceof MqttException e ? e.getReasonCode() : -1;
        return new MqttSessionException(what + " failed: " + describe(failure), code, failure);
    }

    static String describe(Throwable failure) {
        if (failure == null) {
            return "unknown cause";
        }
        String message = failure.getMessage();
        if (failure instanceof MqttException e && e.getCause() != null) {
            message = message + " (" + e.getCause().getMessage() + ")";
        }
        return message != null ? message : failure.getClass().getSimpleName();
    }

    @Override
    public String toString() {
        return "MqttSession[" + config.clientId + " → " + (connectedServer != null ? connectedServer : "disconnected")
                + "]";
    }
}
