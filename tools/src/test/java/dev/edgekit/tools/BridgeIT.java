package dev.edgekit.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.protocol.mqtt.Outgoing;
import dev.edgekit.testkit.Closer;
import dev.edgekit.testkit.FaultProxy;
import dev.edgekit.testkit.MosquittoProcess;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * broker-config's bridge profile with two real Mosquittos: a site broker bridged to a central one through a
 * {@link FaultProxy}. The link is cut for a while (system property {@code edgekit.bridge.cutSeconds}, default 5 s so CI
 * stays short; the profile is meant for outages of minutes, run it with 30 for the issue's figure) while a device keeps
 * publishing at QoS 1; nothing is lost on the way to a consumer on the central broker, and commands still come back.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BridgeIT {
    private static final long CUT_SECONDS = Long.getLong("edgekit.bridge.cutSeconds", 5);
    private static final int PER_SECOND = 50;

    @RegisterExtension
    final Closer cleanup = new Closer();

    @Test
    void whileTheBridgeIsCutTheSiteBrokerQueuesAndTheCentralConsumerGetsEveryMessageAfter() throws Exception {
        MosquittoProcess central = MosquittoProcess.start();
        cleanup.add(central);
        FaultProxy link = FaultProxy.start("127.0.0.1", central.port());
        cleanup.add(link);
        String run = Long.toString(ProcessHandle.current().pid()) + "-" + System.nanoTime() % 100_000;
        MosquittoProcess site = MosquittoProcess.start("mosquitto/bridge-site.conf", Map.of(
                "address", "127.0.0.1:" + link.port(),
                "remote_clientid", "edgekit-bridge-it-" + run,
                "local_clientid", "edgekit-bridge-it-local-" + run));
        cleanup.add(site);

        Set<Long> received = ConcurrentHashMap.newKeySet();
        MqttSession consumer = MqttSession.builder().server(central.uri()).clientId("bridge-it-central-" + run).build();
        cleanup.add(consumer);
        consumer.connect().get(10, TimeUnit.SECONDS);
        consumer.subscribe("sites/lab/edgekit/v1/lab/+/telemetry/#", 1,
                in -> received.add(Long.parseLong(new String(in.payload(), StandardCharsets.UTF_8))))
                .granted().get(5, TimeUnit.SECONDS);
        MqttSession device = MqttSession.builder().server(site.uri()).clientId("bridge-it-device-" + run).build();
        cleanup.add(device);
        device.connect().get(10, TimeUnit.SECONDS);
        CompletableFuture<String> command = new CompletableFuture<>();
        device.subscribe("edgekit/v1/lab/dev1/command/#", 1, in -> command.complete(in.topic()))
                .granted().get(5, TimeUnit.SECONDS);
        awaitBridgeUp(device, consumer, received);

        long sent = 0;
        sent = publish(device, sent, 2);
        link.cut();
        sent = publish(device, sent, CUT_SECONDS);
        link.restore();
        sent = publish(device, sent, 2);

        long expected = sent;
        await().atMost(Duration.ofSeconds(30 + CUT_SECONDS)).untilAsserted(() -> assertThat(missing(received, expected))
                .as("sequence numbers that never reached the central broker").isEmpty());
        assertThat(link.connectionsAccepted()).as("the bridge reconnected after the cut").isGreaterThanOrEqualTo(2);

        consumer.publish(Outgoing.of("sites/lab/edgekit/v1/lab/dev1/command/set", "{}".getBytes(StandardCharsets.UTF_8), 1))
                .get(5, TimeUnit.SECONDS);
        assertThat(command.get(10, TimeUnit.SECONDS)).isEqualTo("edgekit/v1/lab/dev1/command/set");
    }

    /** The bridge connects on its own schedule: probe until a message goes through. */
    private static void awaitBridgeUp(MqttSession device, MqttSession consumer, Set<Long> received) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
            device.publish(Outgoing.of("edgekit/v1/lab/dev1/telemetry/t", "0".getBytes(StandardCharsets.UTF_8), 1));
            return received.contains(0L);
        });
    }

    private static long publish(MqttSession device, long from, long seconds) throws Exception {
        long seq = from;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            seq++;
            device.publish(Outgoing.of("edgekit/v1/lab/dev1/telemetry/t",
                    Long.toString(seq).getBytes(StandardCharsets.UTF_8), 1)).get(5, TimeUnit.SECONDS);
            Thread.sleep(1000 / PER_SECOND);
        }
        return seq;
    }

    private static Set<Long> missing(Set<Long> received, long upTo) {
        return LongStream.rangeClosed(1, upTo).filter(s -> !received.contains(s)).boxed().collect(Collectors.toSet());
    }
}
