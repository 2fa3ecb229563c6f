package dev.edgekit.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.edgekit.agent.config.AgentConfig;
import dev.edgekit.agent.runtime.Agent;
import dev.edgekit.agent.runtime.AgentEnvironment;
import dev.edgekit.protocol.message.Codec;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.testkit.BrokerExtension;
import dev.edgekit.testkit.Closer;
import dev.edgekit.testkit.MosquittoProcess;
import dev.edgekit.ubiquitous.discovery.Discovery;
import dev.edgekit.ubiquitous.discovery.ServiceKind;
import dev.edgekit.ubiquitous.registry.DeviceView;
import dev.edgekit.ubiquitous.registry.Registry;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code broker.discover: true} with no URLs: the agent finds a Mosquitto advertised with mDNS on 127.0.0.1, and when
 * it dies, roams to a second one that was advertised only after the agent had started. Each run uses its own random
 * site, so brokers advertised by other runs on this host (other sites) are never chosen.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DiscoveredBrokerIT {
    @RegisterExtension
    final BrokerExtension first = BrokerExtension.mosquitto();

    @TempDir
    Path dir;

    @RegisterExtension
    final Closer cleanup = new Closer();

    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);

    {
        cleanup.add(scheduler::shutdownNow); // registered first, so closed last
    }

    private void watch(Registry registry, String uri, String clientId, String site) throws Exception {
        MqttSession session = MqttSession.builder().server(uri).clientId(clientId).build();
        cleanup.add(session);
        registry.attach(session, site);
        session.connect().get(10, TimeUnit.SECONDS);
    }

    @Test
    void anAgentWithNoBrokerConfiguredFindsOneOnTheLanAndRoamsToOneAdvertisedLater() throws Exception {
        String site = "d" + UUID.randomUUID().toString().substring(0, 8);
        MosquittoProcess second = MosquittoProcess.start();
        cleanup.add(second);
        Clock clock = Clock.systemUTC();
        Registry registry = new Registry(clock, new Codec());
        watch(registry, first.uri(), "watch-first-" + site, site);
        watch(registry, second.uri(), "watch-second-" + site, site);

        Discovery advertiser = Discovery.on(InetAddress.getByName("127.0.0.1"), "adv-" + site);
        cleanup.add(advertiser);
        advertiser.advertise(ServiceKind.MQTT, "broker-a-" + site, first.broker().port(), Map.of("site", site,
                "priority", "1"));

        AgentConfig config = new AgentConfig(site, "finder", "Finder", new AgentConfig.BrokerConfig(List.of(),
                Duration.ofSeconds(2), Duration.ZERO, null, null, null,
                new AgentConfig.Discover("127.0.0.1", Duration.ofSeconds(20))),
                Duration.ofSeconds(1), AgentConfig.BoardKind.SIMULATED,
                SimulatedHardware.config(Duration.ofSeconds(1), SimulatedHardware.probeId(1)), dir.resolve("finder"));
        Agent agent = Agent.create(config,
                AgentEnvironment.of(clock, scheduler, RandomGenerator.of("L64X128MixRandom"), "test"));
        cleanup.add(agent);
        agent.start().get(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> registry.byId(site, "finder")
                .map(d -> d.birth() != null && first.uri().equals(d.birth().network().broker())).orElse(false));
        long firstSession = registry.byId(site, "finder").orElseThrow().birth().birthSeq();

        // a second broker appears on the LAN after the agent started; then the first one dies
        advertiser.advertise(ServiceKind.MQTT, "broker-b-" + site, second.port(), Map.of("site", site,
                "priority", "2"));
        try (Discovery finder = Discovery.on(InetAddress.getByName("127.0.0.1"), "find-" + site)) {
            assertThat(finder.browse(ServiceKind.MQTT, Duration.ofSeconds(20),
                    f -> f.name().equals("broker-b-" + site))).isNotEmpty();
        }
        first.broker().kill();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            DeviceView view = registry.byId(site, "finder").orElseThrow();
            assertThat(view.status()).isEqualTo(DeviceView.Status.ONLINE);
            assertThat(view.birth().network().broker()).isEqualTo(second.uri());
            assertThat(view.birth().birthSeq()).isGreaterThan(firstSession);
        });
    }
}
