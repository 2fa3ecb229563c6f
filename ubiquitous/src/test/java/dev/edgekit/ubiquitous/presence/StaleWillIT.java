package dev.edgekit.ubiquitous.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.edgekit.protocol.message.Birth;
import dev.edgekit.protocol.message.Codec;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.protocol.mqtt.MqttSessionBuilder;
import dev.edgekit.testkit.BrokerExtension;
import dev.edgekit.testkit.Closer;
import dev.edgekit.testkit.FaultProxy;
import dev.edgekit.ubiquitous.registry.DeviceView;
import dev.edgekit.ubiquitous.registry.Registry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two sessions of one device on a real Mosquitto: the older one's Will arrives after the newer one's birth. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StaleWillIT {
    @RegisterExtension
    final BrokerExtension broker = BrokerExtension.mosquitto();

    private final Codec codec = new Codec();
    @RegisterExtension
    final Closer cleanup = new Closer();

    private Birth birth(long seq) {
        return new Birth("pi-01", "Pi one", "lab1", new Birth.Board("simulated", null), List.of(), "test",
                new Birth.Network(null, null, null), null, Instant.now(), seq, List.of());
    }

    private Presence session(String clientId, String uri, long firstSeq) {
        Presence presence = new Presence("lab1", "pi-01", Duration.ZERO, firstSeq, this::birth, codec);
        MqttSessionBuilder builder = MqttSession.builder().server(uri).clientId(clientId).keepAlive(Duration.ofSeconds(2));
        presence.configure(builder);
        MqttSession session = builder.build();
        cleanup.add(session);
        presence.attach(session);
        session.connect();
        return presence;
    }

    private Registry watch(String clientId) throws Exception {
        Registry registry = new Registry(Clock.systemUTC(), codec);
        MqttSession session = MqttSession.builder().server(broker.uri()).clientId(clientId).build();
        cleanup.add(session);
        registry.attach(session, "lab1");
        session.connect().get(10, TimeUnit.SECONDS);
        registry.ready().get(10, TimeUnit.SECONDS);
        return registry;
    }

    private static long birthSeq(Registry registry) {
        return registry.byId("lab1", "pi-01").map(DeviceView::birth).map(Birth::birthSeq).orElse(-1L);
    }

    @Test
    void aLateWillOfAnOlderSessionIsIgnoredAndTheDeviceRepublishesItsBirthOverIt() throws Exception {
        Registry watching = watch("watcher-1");
        FaultProxy proxy = FaultProxy.start("127.0.0.1", broker.broker().port());
        cleanup.add(proxy);
        session("pi-01-old", "tcp://127.0.0.1:" + proxy.port(), 10);
        await().atMost(Duration.ofSeconds(10)).until(() -> birthSeq(watching) == 10);
        Presence current = session("pi-01-new", broker.uri(), 20);
        await().atMost(Duration.ofSeconds(10)).until(() -> birthSeq(watching) == 20);

        proxy.cut(); // the old session dies: the broker publishes its Will (birth 10) over the retained birth 20

        await().atMost(Duration.ofSeconds(10)).until(() -> watching.stats().staleStates() >= 1);
        assertThat(watching.byId("lab1", "pi-01").orElseThrow().status()).isEqualTo(DeviceView.Status.ONLINE);
        await().atMost(Duration.ofSeconds(10)).until(() -> current.birthsRepublished() >= 1);

        Registry late = watch("watcher-2"); // starts after the Will: sees only what is retained
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            DeviceView view = late.byId("lab1", "pi-01").orElseThrow();
            assertThat(view.status()).isEqualTo(DeviceView.Status.ONLINE);
            assertThat(view.birth().birthSeq()).isEqualTo(20);
        });
    }

    @Test
    void aClearedStateIsRepairedAndAFloodOfForgedOldStatesBuysAtMostAFewBirths() throws Exception {
        Registry watching = watch("watcher-3");
        Presence device = session("pi-01-live", broker.uri(), 30);
        await().atMost(Duration.ofSeconds(10)).until(() -> birthSeq(watching) == 30);
        MqttSession attacker = MqttSession.builder().server(broker.uri()).clientId("attacker").build();
        cleanup.add(attacker);
        attacker.connect().get(10, TimeUnit.SECONDS);
        String state = dev.edgekit.protocol.topic.Topics.state("lab1", "pi-01").topic();

        attacker.publish(dev.edgekit.protocol.mqtt.Outgoing.retained(state, new byte[0], 1))
                .get(5, TimeUnit.SECONDS); // the retained state cleared behind the device's back
        await().atMost(Duration.ofSeconds(10)).until(() -> device.birthsRepublished() >= 1);
        Registry late = watch("watcher-4");
        await().atMost(Duration.ofSeconds(10)).until(() -> birthSeq(late) == 30);

        long before = device.birthsRepublished();
        long started = System.nanoTime();
        for (int i = 0; i < 200; i++) { // forged Wills of an older session, not retained
            attacker.publish(dev.edgekit.protocol.mqtt.Outgoing.of(state,
                    codec.encode(dev.edgekit.protocol.message.Offline.will("pi-01", 29)), 1)).get(5, TimeUnit.SECONDS);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> device.birthsRepublished() - before
                + device.repairsSkipped() == 200);
        long seconds = (System.nanoTime() - started) / 1_000_000_000L + 1;
        // a burst of 3, then 1 a second: not one birth per forged message
        assertThat(device.birthsRepublished() - before).isBetween(1L, 3L + seconds);
    }
}
