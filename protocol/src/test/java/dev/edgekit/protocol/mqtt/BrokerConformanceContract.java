package dev.edgekit.protocol.mqtt;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.edgekit.protocol.clock.Stamp;
import dev.edgekit.testkit.FakeClock;
import dev.edgekit.testkit.TestBroker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/**
 * What edgekit needs from a broker, checked through {@link MqttSession}: MQTT 5 connect, user properties,
 * request/response, retained messages, a Will with will delay, and reconnect with resubscription. Every broker we
 * support runs this same suite (see the {@code *IT} subclasses).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class BrokerConformanceContract {
    private final List<MqttSession> sessions = new ArrayList<>();
    private String prefix;

    abstract TestBroker broker();

    @org.junit.jupiter.api.BeforeEach
    void uniqueTopics(TestInfo test) {
        prefix = "conformance/" + test.getTestMethod().orElseThrow().getName() + "/" + System.nanoTime();
    }

    @AfterEach
    void closeSessions() {
        sessions.parallelStream().forEach(MqttSession::close);
    }

    private MqttSession session(String id) {
        return session(MqttSession.builder().clientId(id));
    }

    private MqttSession session(MqttSessionBuilder builder) {
        MqttSession session = builder.server(broker().uri()).reconnectBackoff(Duration.ofMillis(50),
                Duration.ofMillis(500)).build();
        sessions.add(session);
        return session;
    }

    private static <T> T await5s(CompletableFuture<T> future) throws Exception {
        return future.get(5, TimeUnit.SECONDS);
    }

    @Test
    void socketsStampWirePlaceholdersWithTheirSessionClocks() throws Exception {
        FakeClock senderClock = new FakeClock(Instant.parse("2026-03-01T10:00:00.000000123Z"));
        FakeClock receiverClock = new FakeClock(Instant.parse("2026-03-01T10:00:00.000456789Z"));
        MqttSession sender = session(MqttSession.builder().clientId("stamp-sender").clock(senderClock));
        MqttSession receiver = session(MqttSession.builder().clientId("stamp-receiver").clock(receiverClock));
        MqttSession plain = session(MqttSession.builder().clientId("stamp-off").wireStamps(false));
        await5s(CompletableFuture.allOf(sender.connect(), receiver.connect(), plain.connect()));
        List<Inbound> got = new CopyOnWriteArrayList<>();
        await5s(receiver.subscribe(prefix + "/#", 1, got::add).granted());
        String body = "{\"sent\":\"" + WireStamps.SENT + "\",\"received\":\"" + WireStamps.RECEIVED + "\"}";
        String big = body + "x".repeat(WireStamps.MAX_STAMPED_PACKET);

        await5s(sender.publish(Outgoing.of(prefix + "/small", body.getBytes(UTF_8), 1)));
        await5s(sender.publish(Outgoing.of(prefix + "/big", big.getBytes(UTF_8), 0)));
        await5s(plain.publish(Outgoing.of(prefix + "/plain", body.getBytes(UTF_8), 1)));

        await().atMost(Duration.ofSeconds(5)).until(() -> got.size() == 3);
        Map<String, String> byTopic = new java.util.HashMap<>();
        got.forEach(in -> byTopic.put(in.topic().substring(prefix.length() + 1), new String(in.payload(), UTF_8)));
        assertThat(byTopic.get("small")).isEqualTo("{\"sent\":\"" + WireStamps.format(1_772_359_200_000_000_123L)
                + "\",\"received\":\"" + WireStamps.format(1_772_359_200_000_456_789L) + "\"}");
        assertThat(byTopic.get("big")).as("larger than MAX_STAMPED_PACKET: passes unstamped").isEqualTo(big);
        assertThat(byTopic.get("plain")).as("sender does not stamp, receiver does")
                .contains("\"sent\":\"" + WireStamps.SENT + "\"")
                .contains("\"received\":\"" + WireStamps.format(1_772_359_200_000_456_789L) + "\"");
    }

    @Test
    void connectsWithMqtt5AndCarriesUserPropertiesAndLogicalStamps() throws Exception {
        MqttSession sender = session("sender");
        MqttSession receiver = session("receiver");
        await5s(CompletableFuture.allOf(sender.connect(), receiver.connect()));
        List<Inbound> got = new CopyOnWriteArrayList<>();
        await5s(receiver.subscribe(prefix + "/#", 1, got::add).granted());

        await5s(sender.publish(new Outgoing(prefix + "/a", "hello".getBytes(UTF_8), 1, false,
                Map.of("unit", "°C"), null)));

        await().atMost(Duration.ofSeconds(5)).until(() -> got.size() == 1);
        Inbound in = got.get(0);
        assertThat(new String(in.payload(), UTF_8)).isEqualTo("hello");
        assertThat(in.userProperties()).containsEntry("unit", "°C").containsKeys(Stamp.HLC_PROPERTY,
                Stamp.LAMPORT_PROPERTY);
        assertThat(in.stamp()).isPresent();
        assertThat(in.qos()).isEqualTo(1);
        assertThat(receiver.stats().badStamps()).isZero();
    }

    @Test
    void requestResponseMatchesRepliesByCorrelationData() throws Exception {
        MqttSession server = session("responder");
        MqttSession client = session("requester");
        await5s(CompletableFuture.allOf(server.connect(), client.connect()));
        await5s(server.subscribe(prefix + "/echo", 0, request ->
                server.respond(request, ("re:" + new String(request.payload(), UTF_8)).getBytes(UTF_8), 0)).granted());

        List<CompletableFuture<Inbound>> replies = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            replies.add(client.request(Outgoing.of(prefix + "/echo", ("m" + i).getBytes(UTF_8), 0),
                    prefix + "/reply/requester", Duration.ofSeconds(5)));
        }
        for (int i = 0; i < 20; i++) {
            assertThat(new String(await5s(replies.get(i)).payload(), UTF_8)).isEqualTo("re:m" + i);
        }
        assertThat(client.stats().unmatchedReplies()).isZero();
    }

    @Test
    void aReplyCarriesNoResponseTopicSoARequestAimedAtItsResponderCannotLoop() throws Exception {
        MqttSession server = session("loop-responder");
        MqttSession client = session("loop-requester");
        MqttSession watcher = session("loop-watcher");
        await5s(CompletableFuture.allOf(server.connect(), client.connect(), watcher.connect()));
        List<Inbound> seen = new CopyOnWriteArrayList<>();
        await5s(watcher.subscribe(prefix + "/echo", 0, seen::add).granted());
        await5s(server.subscribe(prefix + "/echo", 0, request -> {
            if (request.isRequest()) {
                server.respond(request, "re".getBytes(UTF_8), 0);
            }
        }).granted());

        // the attack: a request whose response topic is the very topic its responder listens on
        client.request(Outgoing.of(prefix + "/echo", "go".getBytes(UTF_8), 0), prefix + "/echo", Duration.ofSeconds(5));

        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 2);
        assertThat(seen).extracting(in -> new String(in.payload(), UTF_8)).containsExactly("go", "re");
        Inbound reply = seen.get(1);
        assertThat(reply.responseTopic()).isNull();
        assertThat(reply.correlationData()).isEqualTo(seen.get(0).correlationData());
    }

    @Test
    void theBrokerTakesAHundredUnacknowledgedPublishesAndSaysSoInItsConnack() throws Exception {
        MqttSession client = session("receive-maximum");
        assertThat(client.serverReceiveMaximum()).isEqualTo(65_535); // nothing said before a CONNACK
        await5s(client.connect());

        // broker-config's max_inflight_messages 100 and the embedded broker's server-receive-maximum: an agent's
        // outbox window (16) and its births fit (HiveMQ's default of 10 did not)
        assertThat(client.serverReceiveMaximum()).isEqualTo(100);
        List<CompletableFuture<Void>> burst = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            burst.add(client.publish(Outgoing.of("conformance/burst/" + (i % 3), new byte[] {(byte) i}, 1)));
        }
        await5s(CompletableFuture.allOf(burst.toArray(CompletableFuture[]::new)));
    }

    @Test
    void requestWithoutResponderTimesOut() throws Exception {
        MqttSession client = session("lonely");
        await5s(client.connect());
        CompletableFuture<Inbound> reply = client.request(Outgoing.of(prefix + "/nobody", new byte[] {1}, 0),
                prefix + "/reply/lonely", Duration.ofMillis(300));
        assertThat(reply).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(TimeoutException.class);
    }

    @Test
    void retainedMessageReachesLateSubscriberFlaggedRetained() throws Exception {
        MqttSession publisher = session("retainer");
        await5s(publisher.connect());
        await5s(publisher.publish(Outgoing.retained(prefix + "/state", "online".getBytes(UTF_8), 1)));

        MqttSession late = session("late");
        await5s(late.connect());
        List<Inbound> got = new CopyOnWriteArrayList<>();
        late.subscribe(prefix + "/state", 1, got::add);
        await().atMost(Duration.ofSeconds(5)).until(() -> got.size() == 1);
        assertThat(got.get(0).retained()).isTrue();
        assertThat(new String(got.get(0).payload(), UTF_8)).isEqualTo("online");
        await5s(publisher.publish(Outgoing.retained(prefix + "/state", new byte[0], 1))); // clear it
    }

    @Test
    void willIsPublishedAtOnceWhenAClientDiesWithoutDisconnect() throws Exception {
        List<Inbound> got = watch(prefix + "/will");
        MqttAsyncClient doomed = rawClientWithWill(prefix + "/will", 0);
        doomed.disconnectForcibly(0, 0, false); // drop the TCP connection, no DISCONNECT packet
        await().atMost(Duration.ofSeconds(5)).until(() -> got.size() == 1);
        assertThat(new String(got.get(0).payload(), UTF_8)).isEqualTo("gone");
        doomed.close(true);
    }

    @Test
    void willWaitsForTheWillDelayAndACleanDisconnectDiscardsIt() throws Exception {
        List<Inbound> got = watch(prefix + "/#");
        MqttAsyncClient delayed = rawClientWithWill(prefix + "/delayed", 2);
        long killedAt = System.nanoTime();
        delayed.disconnectForcibly(0, 0, false);
        MqttAsyncClient polite = rawClientWithWill(prefix + "/polite", 0);
        polite.disconnect().waitForCompletion(5000);

        await().atMost(Duration.ofSeconds(10)).until(() -> !got.isEmpty());
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
        assertThat(got.get(0).topic()).isEqualTo(prefix + "/delayed");
        assertThat(waitedMillis).as("will delay honoured").isGreaterThanOrEqualTo(1500);
        assertThat(got).extracting(Inbound::topic).doesNotContain(prefix + "/polite");
        delayed.close(true);
        polite.close(true);
    }

    @Test
    void resubscribesAndCarriesOnAfterTheBrokerRestarts() throws Exception {
        MqttSession sender = session("restart-sender");
        MqttSession receiver = session("restart-receiver");
        await5s(CompletableFuture.allOf(sender.connect(), receiver.connect()));
        List<Inbound> got = new CopyOnWriteArrayList<>();
        await5s(receiver.subscribe(prefix + "/x", 0, got::add).granted());

        broker().restart();

        await().atMost(Duration.ofSeconds(20)).until(() -> sender.isConnected() && receiver.isConnected());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            sender.publish(Outgoing.of(prefix + "/x", new byte[] {42}, 0));
            assertThat(got).isNotEmpty();
        });
        assertThat(receiver.stats().connects()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void firstConnectIsRetriedUntilTheBrokerComesUp() throws Exception {
        broker().stop();
        MqttSession early = session("early-bird");
        CompletableFuture<Void> connected = early.connect();
        await().atMost(Duration.ofSeconds(5)).until(() -> early.stats().connectFailures() >= 2);
        assertThat(connected).isNotDone();
        broker().restart();
        await5s(connected);
        assertThat(early.isConnected()).isTrue();
    }

    @Test
    void aThrowingHandlerIsCountedAndTheSessionCarriesOn() throws Exception {
        MqttSession session = session("clumsy");
        await5s(session.connect());
        List<Inbound> got = new CopyOnWriteArrayList<>();
        await5s(session.subscribe(prefix + "/t", 0, in -> {
            got.add(in);
            if (got.size() == 1) {
                throw new IllegalStateException("handler bug");
            }
        }).granted());
        await5s(session.publish(Outgoing.of(prefix + "/t", new byte[] {1}, 1)));
        await5s(session.publish(Outgoing.of(prefix + "/t", new byte[] {2}, 1)));
        await().atMost(Duration.ofSeconds(5)).until(() -> got.size() == 2);
        assertThat(session.stats().handlerFailures()).isEqualTo(1);
        assertThat(session.isConnected()).isTrue();
    }

    @Test
    void publishWhileDisconnectedFailsFastInsteadOfHanging() throws Exception {
        MqttSession session = session("impatient");
        broker().stop();
        CompletableFuture<Void> attempt = session.publish(Outgoing.of(prefix + "/nowhere", new byte[] {1}, 1));
        assertThat(attempt).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(MqttSessionException.class);
        broker().restart();
    }

    private List<Inbound> watch(String filter) throws Exception {
        MqttSession watcher = session("watcher");
        await5s(watcher.connect());
        List<Inbound> got = new CopyOnWriteArrayList<>();
        await5s(watcher.subscribe(filter, 1, got::add).granted());
        return got;
    }

    /** A bare Paho client, so the test can drop its connection without a DISCONNECT packet. */
    private MqttAsyncClient rawClientWithWill(String topic, long willDelaySeconds) throws Exception {
        MqttAsyncClient client = new MqttAsyncClient(broker().uri(), "raw-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setWill(topic, new MqttMessage("gone".getBytes(UTF_8), 1, false, null));
        MqttProperties willProperties = new MqttProperties();
        willProperties.setWillDelayInterval(willDelaySeconds);
        options.setWillMessageProperties(willProperties);
        // MQTT 5 §3.1.3.2.2: the Will waits for the delay or the end of the session, whichever comes first
        options.setSessionExpiryInterval(willDelaySeconds * 2);
        client.connect(options).waitForCompletion(5000);
        return client;
    }
}
