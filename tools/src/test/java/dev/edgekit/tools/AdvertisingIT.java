package dev.edgekit.tools;


import static org.assertj.core.api.Assertions.assertThat;

import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.testkit.BrokerExtension;
import dev.edgekit.ubiquitous.discovery.BrokerChoice;
import dev.edgekit.ubiquitous.discovery.Discovery;
import dev.edgekit.ubiquitous.discovery.Found;
import dev.edgekit.ubiquitous.discovery.ServiceKind;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code simulate} advertises its embedded broker and {@code time-server} its time service, on 127.0.0.1. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AdvertisingIT {
    @RegisterExtension
    final BrokerExtension broker = BrokerExtension.mosquitto();

    private static String site() {
        return "a" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void simulateAdvertisesItsEmbeddedBrokerWithItsSiteAndTheAdvertisedBrokerIsUsable() throws Exception {
        String site = site();
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> Main.commandLine().execute(
                "simulate", "--devices", "1", "--site", site, "--port", "0", "--duration", "15s"));
        try (Discovery finder = Discovery.on(InetAddress.getByName("127.0.0.1"), "find-" + site)) {
            List<Found> found = finder.browse(ServiceKind.MQTT, Duration.ofSeconds(30),
                    f -> site.equals(f.properties().get("site")));
            assertThat(found).singleElement().satisfies(f -> assertThat(f.host()).isEqualTo("127.0.0.1"));
            try (MqttSession session = MqttSession.builder().servers(BrokerChoice.order(found, site))
                    .clientId("probe-" + site).build()) {
                session.connect().get(10, TimeUnit.SECONDS);
            }
        }
        assertThat(run.get(60, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void timeServerAdvertisesItsServiceUnlessToldNotTo() throws Exception {
        String site = site();
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> Main.commandLine().execute(
                "time-server", "--stratum1", "--broker", broker.uri(), "--site", site, "--id", "t1",
                "--duration", "15s", "--status-every", "1s"));
        String quiet = site();
        CompletableFuture<Integer> silent = CompletableFuture.supplyAsync(() -> Main.commandLine().execute(
                "time-server", "--stratum1", "--broker", broker.uri(), "--site", quiet, "--id", "t2",
                "--duration", "15s", "--status-every", "1s", "--no-advertise"));
        try (Discovery finder = Discovery.on(InetAddress.getByName("127.0.0.1"), "find-" + site)) {
            List<Found> found = finder.browse(ServiceKind.TIME, Duration.ofSeconds(30),
                    f -> site.equals(f.properties().get("site")));
            assertThat(found).singleElement().satisfies(f -> {
                assertThat(f.properties()).containsEntry("id", "t1").containsEntry("stratum", "1")
                        .containsEntry("broker", broker.uri());
                assertThat(f.port()).isEqualTo(broker.broker().port());
            });
            assertThat(run.get(60, TimeUnit.SECONDS)).isZero();
            assertThat(silent.get(60, TimeUnit.SECONDS)).isZero();
            // both ran for the same time; the one told not to advertise was never seen
            assertThat(finder.known(ServiceKind.TIME)).noneMatch(f -> quiet.equals(f.properties().get("site")));
        }
    }
}
