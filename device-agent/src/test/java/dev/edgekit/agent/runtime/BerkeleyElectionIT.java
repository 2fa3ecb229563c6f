package dev.edgekit.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.edgekit.agent.config.AgentConfig;
import dev.edgekit.agent.config.HardwareConfig;
import dev.edgekit.time.DeviceClock;
import dev.edgekit.time.TimeMessage;
import dev.edgekit.protocol.message.Codec;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.testkit.BrokerExtension;
import dev.edgekit.testkit.Closer;
import dev.edgekit.testkit.FaultProxy;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Berkeley mode takes its master from the bully election: three agents, the master (lowest id) crashes — its
 * connection is reset by a fault proxy, so the broker fires its Will — a new master is elected and the next round runs
 * under it, without the crashed member. Prints how many heartbeat intervals that took (no wall-time assertion).
 */
@Timeout(120)
class BerkeleyElectionIT {
    @RegisterExtension
    static final BrokerExtension broker = BrokerExtension.mosquitto();
    static final Clock REFERENCE = Clock.systemUTC();
    static final Duration HEARTBEAT = Duration.ofMillis(500);
    static final String SITE = "berk";

    @TempDir
    Path dir;

    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(4);

    @RegisterExtension
    final Closer cleanup = new Closer();

    {
        cleanup.add(scheduler::shutdownNow); // registered first, so closed last
    }

    /** An adjustment seen on the wire: which master sent it to which member, and when (test's nanoTime). */
    record Seen(String master, String member, long round, long atNanos) {}

    private Agent agent(String id, String brokerUri, Duration offset) throws Exception {
        AgentConfig.TimeConfig berkeley = new AgentConfig.TimeConfig(AgentConfig.TimeMode.BERKELEY, List.of(),
                Duration.ofMillis(250), Duration.ofSeconds(64), null, null, Path.of("drift"), false, false,
                Duration.ofSeconds(10), Duration.ofSeconds(1));
        AgentConfig config = new AgentConfig(SITE, id, null, new AgentConfig.BrokerConfig(List.of(brokerUri),
                Duration.ofSeconds(2), Duration.ZERO, null, null), HEARTBEAT, AgentConfig.BoardKind.SIMULATED,
                HardwareConfig.none(), dir.resolve(id), berkeley);
        DeviceClock device = DeviceClock.simulated(REFERENCE).offset(offset).build();
        Agent agent = Agent.create(config, AgentEnvironment.of(device, scheduler, new SplittableRandom(7), "test"));
        cleanup.add(agent);
        agent.start().get(10, TimeUnit.SECONDS);
        return agent;
    }

    @Test
    void whenTheMasterCrashesANewOneIsElectedAndRunsTheNextRoundWithoutIt() throws Exception {
        Codec codec = new Codec();
        List<Seen> seen = new CopyOnWriteArrayList<>();
        MqttSession watcher = MqttSession.builder().server(broker.uri()).clientId("berk-watcher").build();
        cleanup.add(watcher);
        watcher.connect().get(10, TimeUnit.SECONDS);
        watcher.subscribe("edgekit/v1/" + SITE + "/$time/berkeley/+/adjust", 0, in -> {
            String member = in.topic().split("/")[5]; // edgekit/v1/{site}/$time/berkeley/{member}/adjust
            try {
                TimeMessage.BerkeleyAdjust a = codec.decode(TimeMessage.BerkeleyAdjust.class, in.payload());
                seen.add(new Seen(a.master(), member, a.round(), System.nanoTime()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).granted().get(10, TimeUnit.SECONDS);

        URI target = URI.create(broker.uri());
        FaultProxy proxy = FaultProxy.start(target.getHost(), target.getPort());
        cleanup.add(proxy);
        Agent first = agent("b-1", "tcp://" + proxy.host() + ":" + proxy.port(), Duration.ofMillis(40));
        Agent second = agent("b-2", broker.uri(), Duration.ofMillis(-30));
        Agent third = agent("b-3", broker.uri(), Duration.ofMillis(10));

        // b-1 (lowest id) is elected and runs rounds over both others
        await().atMost(Duration.ofSeconds(30)).until(() -> List.of(first, second, third).stream()
                .allMatch(a -> a.time().election().orElseThrow().currentLeader().equals(Optional.of("b-1"))));
        await().atMost(Duration.ofSeconds(30)).until(() -> seen.stream().anyMatch(s -> s.master().equals("b-1")
                && s.member().equals("b-2")) && seen.stream().anyMatch(s -> s.master().equals("b-1")
                && s.member().equals("b-3")));
        assertThat(second.time().election().orElseThrow().isLeader()).isFalse();

        long crashed = System.nanoTime();
        proxy.cut(); // the master's connection is reset: the broker publishes its Will at once

        await().atMost(Duration.ofSeconds(30)).until(() -> second.time().election().orElseThrow().isLeader());
        long elected = System.nanoTime();
        await().atMost(Duration.ofSeconds(30)).until(() -> seen.stream().anyMatch(s -> s.master().equals("b-2")
                && s.member().equals("b-3") && s.atNanos() > crashed));
        long firstRound = seen.stream().filter(s -> s.master().equals("b-2") && s.member().equals("b-3")
                && s.atNanos() > crashed).mapToLong(Seen::atNanos).min().orElseThrow();
        await().atMost(Duration.ofSeconds(10)).until(() -> third.time().election().orElseThrow().currentLeader()
                .equals(Optional.of("b-2")));

        // the crashed member is left out of the new master's rounds; the crashed master sends nothing more
        assertThat(seen).noneMatch(s -> s.master().equals("b-2") && s.member().equals("b-1"));
        assertThat(seen).noneMatch(s -> s.master().equals("b-1") && s.atNanos() > elected);
        System.out.printf("BerkeleyElectionIT: heartbeat %d ms; new master elected after %.1f intervals, first round"
                + " under it after %.1f intervals%n", HEARTBEAT.toMillis(), (elected - crashed) / 1e6
                / HEARTBEAT.toMillis(), (firstRound - crashed) / 1e6 / HEARTBEAT.toMillis());
    }
}
