package dev.edgekit.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.edgekit.agent.config.AgentConfig;
import dev.edgekit.time.DeviceClock;
import dev.edgekit.time.DisciplinedClock;
import dev.edgekit.time.TimeServer;
import dev.edgekit.protocol.message.Codec;
import dev.edgekit.protocol.message.Heartbeat;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.protocol.topic.Topics;
import dev.edgekit.testkit.BrokerExtension;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class AgentTimeIT {
    @RegisterExtension
    static final BrokerExtension broker = BrokerExtension.mosquitto();
    static final Clock REFERENCE = Clock.systemUTC();

    @Test
    void anAgentTenSecondsOffSyncsToItsTimeServerAndSaysSoInItsHeartbeat(@TempDir Path state) throws Exception {
        DisciplinedClock reference = DisciplinedClock.reference(DeviceClock.of(REFERENCE), Duration.ZERO);
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
        Codec codec = new Codec();
        AtomicReference<Heartbeat> last = new AtomicReference<>();
        try (MqttSession serverSession = MqttSession.builder().server(broker.uri()).clientId("ts1")
                     .clock(reference.device()).build();
             MqttSession watcher = MqttSession.builder().server(broker.uri()).clientId("watcher").build()) {
            serverSession.connect().get(10, TimeUnit.SECONDS);
            TimeServer.start(serverSession, "lab", "ts1", reference).ready().get(10, TimeUnit.SECONDS);
            watcher.connect().get(10, TimeUnit.SECONDS);
            watcher.subscribe(Topics.heartbeat("lab", "pi-1").topic(), 0, in -> {
                try {
                    last.set((Heartbeat) codec.decode(Topics.heartbeat("lab", "pi-1"), in.payload()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).granted().get(10, TimeUnit.SECONDS);
            AgentConfig config = new AgentConfig("lab", "pi-1", null, AgentConfig.BrokerConfig.of(broker.uri()),
                    Duration.ofMillis(500), AgentConfig.BoardKind.SIMULATED, dev.edgekit.agent.config.HardwareConfig.none(), state,
                    AgentConfig.TimeConfig.ntp(List.of("ts1")));
            DeviceClock device = DeviceClock.simulated(REFERENCE).offset(Duration.ofSeconds(10)).driftPpm(-150).build();
            try (Agent agent = Agent.create(config,
                    AgentEnvironment.of(device, scheduler, new SplittableRandom(1), "test"))) {
                agent.start().get(10, TimeUnit.SECONDS);
                agent.time().pollRange(new dev.edgekit.time.PollRange(Duration.ofMillis(250), Duration.ofSeconds(1)));
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    Heartbeat h = last.get();
                    assertThat(h).isNotNull();
                    assertThat(h.clock().stratum()).isEqualTo(2);
                    assertThat(h.clock().server()).isEqualTo("ts1");
                    assertThat(h.clock().mode()).isEqualTo("ntp");
                    assertThat(h.clock().errorBoundMicros()).isLessThan(1e6);
                    // the heartbeat's time is the disciplined clock: within its bound (plus delivery) of the truth
                    assertThat(Math.abs(Duration.between(h.time(), REFERENCE.instant()).toMillis()))
                            .isLessThan(1_000);
                });
                long error = Math.abs(agent.clock().epochNanos() - DeviceClock.of(REFERENCE).epochNanos());
                assertThat(error).isLessThanOrEqualTo(agent.clock().errorBoundNanos() + 1_000_000);

                // an operator's "sync now": with the next poll an hour away, the burst leaves at once
                agent.time().pollRange(new dev.edgekit.time.PollRange(Duration.ofHours(1), Duration.ofHours(1)));
                dev.edgekit.time.TimeSync sync = agent.time().sync().orElseThrow();
                AtomicReference<Long> settled = new AtomicReference<>(-1L);
                AtomicReference<Long> changedAt = new AtomicReference<>(System.nanoTime());
                await().atMost(Duration.ofSeconds(30)).until(() -> { // the burst due within 1 s has come and gone
                    long now = sync.acceptedSamples();
                    if (now != settled.getAndSet(now)) {
                        changedAt.set(System.nanoTime());
                    }
                    return System.nanoTime() - changedAt.get() > 3_000_000_000L;
                });
                byte[] reply = watcher.request(dev.edgekit.protocol.mqtt.Outgoing.of(
                                Topics.command("lab", "pi-1", "sync").topic(), "{\"v\":1}".getBytes(), 1),
                        "edgekit/v1/lab/pi-1/reply/watcher", Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS).payload();
                assertThat(codec.decode(dev.edgekit.protocol.message.CommandReply.class, reply))
                        .isInstanceOfSatisfying(dev.edgekit.protocol.message.CommandReply.Ok.class,
                                ok -> assertThat(ok.detail()).containsEntry("burst", "started on 1 server"));
                await().atMost(Duration.ofSeconds(5)).until(() -> sync.acceptedSamples() > settled.get());
            }
        } finally {
            scheduler.shutdownNow();
        }
    }
}
