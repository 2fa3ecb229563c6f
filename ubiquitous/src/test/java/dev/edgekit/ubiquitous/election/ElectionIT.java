package dev.edgekit.ubiquitous.election;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.edgekit.protocol.message.Birth;
import dev.edgekit.protocol.message.Codec;
import dev.edgekit.protocol.message.Heartbeat;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.protocol.mqtt.MqttSessionBuilder;
import dev.edgekit.protocol.mqtt.Outgoing;
import dev.edgekit.protocol.topic.Topics;
import dev.edgekit.testkit.BrokerExtension;
import dev.edgekit.testkit.Closer;
import dev.edgekit.testkit.FaultProxy;
import dev.edgekit.ubiquitous.detect.DetectorConfig;
import dev.edgekit.ubiquitous.detect.LivenessMonitor;
import dev.edgekit.ubiquitous.presence.Presence;
import dev.edgekit.ubiquitous.registry.Registry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Three members elect a time master over a real Mosquitto; the master is killed; the next takes over. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ElectionIT {
    private static final Duration HEARTBEAT = Duration.ofMillis(500);

    @RegisterExtension
    final BrokerExtension broker = BrokerExtension.mosquitto();

    private final Clock clock = Clock.systemUTC();
    private final Codec codec = new Codec();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);

    @RegisterExtension
    final Closer cleanup = new Closer();

    {
        cleanup.add(scheduler::shutdownNow); // registered first, so closed last
    }

    private final Map<String, Member> members = new ConcurrentHashMap<>();

    private final class Member {
        final String id;
        final FaultProxy proxy;
        final Election election;
        volatile boolean dead;

        Member(String id) throws Exception {
            this.id = id;
            proxy = FaultProxy.start("127.0.0.1", broker.broker().port());
            cleanup.add(proxy);
            Presence presence = new Presence("lab1", id, Duration.ZERO, 1, seq -> new Birth(id, id, "lab1",
                    new Birth.Board("simulated", null), List.of(), "test", null, null, clock.instant(), seq,
                    List.of()), codec);
            MqttSessionBuilder builder = MqttSession.builder().server("tcp://127.0.0.1:" + proxy.port()).clientId(id)
                    .keepAlive(Duration.ofSeconds(2));
            presence.configure(builder);
            MqttSession session = builder.build();
            cleanup.add(session);
            presence.attach(session);
            Registry registry = new Registry(clock, codec).attach(session, "lab1");
            LivenessMonitor monitor = LivenessMonitor.attach(registry,
                    DetectorConfig.phiAccrual().withFirstHeartbeatEstimate(HEARTBEAT).withLostAfter(Duration.ofSeconds(5)));
            cleanup.add(() -> monitor.schedule(scheduler, clock, Duration.ofMillis(50)).cancel(false));
            monitor.schedule(scheduler, clock, Duration.ofMillis(50));
            AtomicLong seq = new AtomicLong();
            scheduler.scheduleAtFixedRate(() -> {
                if (!dead && session.isConnected()) {
                    session.publish(Outgoing.of(Topics.heartbeat("lab1", id).topic(), codec.encode(new Heartbeat(id,
                            seq.getAndIncrement(), Math.max(0, presence.birthSeq()), clock.instant(), 1, null, null,
                            null)), 0));
                }
            }, 0, HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
            election = Election.create(id, "lab1", ElectionTransport.mqtt(session, "lab1"), monitor, clock, scheduler,
                    ElectionConfig.forHeartbeat(HEARTBEAT));
            cleanup.add(election);
            session.connect().get(10, TimeUnit.SECONDS);
            registry.ready().get(10, TimeUnit.SECONDS);
            election.start();
            members.put(id, this);
        }

        /** A process killed: its TCP connection closes, it stops acting. */
        void kill() {
            dead = true;
            election.close();
            proxy.cut();
        }
    }

    private List<String> actingLeaders() {
        return members.values().stream().filter(m -> !m.dead && m.election.isLeader()).map(m -> m.id).sorted()
                .toList();
    }

    @Test
    void whenTheMasterIsKilledTheNextIsElectedWithinAFewHeartbeatsAndTwoMastersNeverActForAnInterval()
            throws Exception {
        new Member("pi-a");
        new Member("pi-b");
        new Member("pi-c");
        await().atMost(Duration.ofSeconds(15)).until(() -> actingLeaders().equals(List.of("pi-a"))
                && members.values().stream().allMatch(m -> m.election.currentLeader().orElse("").equals("pi-a")));

        // watch the leaders every 10 ms from now on
        List<Long> overlapsMillis = new ArrayList<>();
        long[] overlapStart = {-1};
        var sampler = scheduler.scheduleAtFixedRate(() -> {
            long now = System.nanoTime();
            if (actingLeaders().size() > 1) {
                if (overlapStart[0] < 0) {
                    overlapStart[0] = now;
                }
            } else if (overlapStart[0] >= 0) {
                synchronized (overlapsMillis) {
                    overlapsMillis.add((now - overlapStart[0]) / 1_000_000);
                }
                overlapStart[0] = -1;
            }
        }, 0, 10, TimeUnit.MILLISECONDS);

        long killedAt = System.nanoTime();
        members.get("pi-a").kill();
        await().atMost(Duration.ofSeconds(15)).until(() -> actingLeaders().equals(List.of("pi-b"))
                && members.get("pi-c").election.currentLeader().orElse("").equals("pi-b"));
        double heartbeats = (System.nanoTime() - killedAt) / 1e6 / HEARTBEAT.toMillis();
        System.out.printf("new master after %.1f heartbeat intervals (%d ms heartbeats)%n", heartbeats,
                HEARTBEAT.toMillis());
        await().pollDelay(HEARTBEAT.multipliedBy(4)).atMost(HEARTBEAT.multipliedBy(5))
                .until(() -> actingLeaders().equals(List.of("pi-b")));
        sampler.cancel(false);
        synchronized (overlapsMillis) {
            assertThat(overlapsMillis).allSatisfy(ms -> assertThat(ms).isLessThan(HEARTBEAT.toMillis()));
        }
        assertThat(overlapStart[0]).isEqualTo(-1);
    }
}
