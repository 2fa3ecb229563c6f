package dev.edgekit.console.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.protocol.mqtt.Outgoing;
import dev.edgekit.protocol.shadow.Desired;
import dev.edgekit.protocol.shadow.ShadowCodec;
import dev.edgekit.protocol.shadow.ShadowTopics;
import dev.edgekit.protocol.shadow.UpdateResult;
import dev.edgekit.testkit.BrokerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The keeper against a real Mosquitto: concurrent operators, keeper restart, an offline reader converging. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShadowKeeperIT {
    private static final String SITE = "shadow-it";
    private static final Duration WAIT = Duration.ofSeconds(5);

    @RegisterExtension
    final BrokerExtension broker = BrokerExtension.mosquitto();

    private final List<MqttSession> sessions = new ArrayList<>();
    private final ShadowCodec codec = new ShadowCodec();
    private final AtomicLong hlc = new AtomicLong();

    @AfterEach
    void close() {
        sessions.forEach(MqttSession::close);
    }

    private MqttSession session(String name) throws Exception {
        MqttSession s = MqttSession.builder().server(broker.uri())
                .clientId("shadow-it-" + ProcessHandle.current().pid() + "-" + name).build();
        sessions.add(s);
        s.connect().get(5, TimeUnit.SECONDS);
        return s;
    }

    private MqttSession keeper(String name) throws Exception {
        MqttSession s = session(name);
        new ShadowKeeper(s, SITE, () -> Long.toString(hlc.incrementAndGet())).start().get(5, TimeUnit.SECONDS);
        return s;
    }

    private ObjectNode state(String json) throws Exception {
        return codec.parseState(json);
    }

    @Test
    void ofTwoOperatorsWhoReadTheSameVersionOneWinsAndTheOtherGetsTheVersionError() throws Exception {
        keeper("keeper");
        ShadowClient alice = new ShadowClient(session("alice"), SITE, "alice");
        ShadowClient bob = new ShadowClient(session("bob"), SITE, "bob");
        long readByAlice = alice.desired("pi-1", WAIT).version();
        long readByBob = bob.desired("pi-1", WAIT).version();

        CompletableFuture<UpdateResult> a = alice.update("pi-1", readByAlice, state("{\"fan\":40}"), WAIT);
        CompletableFuture<UpdateResult> b = bob.update("pi-1", readByBob, state("{\"fan\":90}"), WAIT);
        List<UpdateResult> results = List.of(a.get(), b.get());

        assertThat(results).containsOnlyOnce(new UpdateResult.Accepted(1));
        assertThat(results).containsOnlyOnce(new UpdateResult.VersionConflict(0, 1));
        Desired now = alice.desired("pi-1", WAIT);
        assertThat(now.version()).isEqualTo(1);
        String winner = results.get(0) instanceof UpdateResult.Accepted ? "alice" : "bob";
        assertThat(now.writer()).isEqualTo(winner);
        assertThat(now.state().path("fan").asInt()).isEqualTo(winner.equals("alice") ? 40 : 90);
    }

    @Test
    void aRestartedKeeperRebuildsTheVersionFromTheRetainedDocument() throws Exception {
        MqttSession first = keeper("keeper-a");
        ShadowClient ops = new ShadowClient(session("ops"), SITE, "ops");
        assertThat(ops.update("pi-2", 0, state("{\"led\":true}"), WAIT).get()).isEqualTo(new UpdateResult.Accepted(1));
        first.close();
        sessions.remove(first);

        keeper("keeper-b");
        assertThat(ops.update("pi-2", 0, state("{\"led\":false}"), WAIT).get())
                .isEqualTo(new UpdateResult.VersionConflict(0, 1));
        assertThat(ops.update("pi-2", 1, state("{\"led\":false}"), WAIT).get()).isEqualTo(new UpdateResult.Accepted(2));
    }

    @Test
    void aDeviceThatWasOfflineWhileDesiredChangedThreeTimesSeesOnlyTheLast() throws Exception {
        keeper("keeper");
        ShadowClient ops = new ShadowClient(session("ops"), SITE, "ops");
        for (int v = 0; v < 3; v++) {
            assertThat(ops.update("pi-3", v, state("{\"fan\":" + (10 * (v + 1)) + "}"), WAIT).get())
                    .isEqualTo(new UpdateResult.Accepted(v + 1));
        }
        List<Desired> seen = new CopyOnWriteArrayList<>();
        MqttSession device = session("pi-3");
        device.subscribe(ShadowTopics.desired(SITE, "pi-3"), 1, in -> {
            try {
                seen.add(codec.decodeDesired("pi-3", in.payload()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).granted().get(5, TimeUnit.SECONDS);

        await().atMost(WAIT).until(() -> !seen.isEmpty());
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> seen.size() == 1); // no more
        assertThat(seen).singleElement().satisfies(d -> {
            assertThat(d.version()).isEqualTo(3);
            assertThat(d.state().path("fan").asInt()).isEqualTo(30);
        });
    }

    @Test
    void invalidRequestsAndForeignReplyTopicsAreRefusedAndCounted() throws Exception {
        MqttSession keeperSession = session("keeper");
        ShadowKeeper keeper = new ShadowKeeper(keeperSession, SITE, () -> "0");
        keeper.start().get(5, TimeUnit.SECONDS);
        ShadowClient ops = new ShadowClient(session("ops"), SITE, "ops");
        UpdateResult deep = ops.update("pi-4", 0, state("{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":1}}}}}}"), WAIT).get();
        assertThat(deep).isEqualTo(new UpdateResult.Accepted(1));

        MqttSession raw = session("raw");
        byte[] bad = "{\"expectedVersion\":1,\"state\":[1,2]}".getBytes(StandardCharsets.UTF_8);
        UpdateResult refused = codec.decodeResult(raw.request(new Outgoing(ShadowTopics.update(SITE, "pi-4"), bad, 1,
                false, Map.of("writer", "raw"), null), ShadowTopics.reply(SITE, "raw"), WAIT).get().payload());
        assertThat(refused).isInstanceOf(UpdateResult.Invalid.class);
        assertThat(((UpdateResult.Invalid) refused).reason()).startsWith("state");

        // a request without a response topic gets no answer at all, only a count
        raw.publish(new Outgoing(ShadowTopics.update(SITE, "pi-4"), bad, 1, false, Map.of("writer", "raw"), null))
                .get(5, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> keeper.refused() >= 2);
        assertThat(keeper.accepted()).isEqualTo(1);
    }
}
