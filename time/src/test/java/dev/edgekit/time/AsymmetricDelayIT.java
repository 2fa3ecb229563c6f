package dev.edgekit.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.testkit.BrokerExtension;
import dev.edgekit.testkit.FaultProxy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client whose connection to the broker goes through a {@link FaultProxy} adding +5 ms on the way out and up to
 * 2 ms of jitter each way: the asymmetry biases every offset by about 2.5 ms, which no filter can see — but the
 * reported error bound (half the round trip and more) must still contain the true error at every observation.
 * Prints the p99 of |true error| and of the bound (the figure asked for in the issue).
 */
@Timeout(120)
class AsymmetricDelayIT {
    @RegisterExtension
    static final BrokerExtension broker = BrokerExtension.mosquitto();
    static final Clock REFERENCE = Clock.systemUTC();

    @Test
    void underAsymmetricDelayAndJitterTheTrueErrorStaysInsideTheReportedBound() throws Exception {
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
        DisciplinedClock reference = DisciplinedClock.reference(DeviceClock.of(REFERENCE), Duration.ZERO);
        DeviceClock device = DeviceClock.simulated(REFERENCE).offset(Duration.ofSeconds(10)).driftPpm(200).build();
        DisciplinedClock clock = DisciplinedClock.over(device);
        int port = Integer.parseInt(broker.uri().substring(broker.uri().lastIndexOf(':') + 1));
        try (FaultProxy proxy = FaultProxy.start(new java.net.InetSocketAddress("127.0.0.1", port), 42);
             MqttSession serverSession = MqttSession.builder().server(broker.uri()).clientId("ts1")
                     .clock(reference.device()).build();
             MqttSession clientSession = MqttSession.builder().server("tcp://127.0.0.1:" + proxy.port())
                     .clientId("far").clock(device).build()) {
            proxy.delay(FaultProxy.Direction.UPSTREAM, Duration.ofMillis(5));
            proxy.jitter(FaultProxy.Direction.UPSTREAM, Duration.ofMillis(2));
            proxy.jitter(FaultProxy.Direction.DOWNSTREAM, Duration.ofMillis(2));
            serverSession.connect().get(10, TimeUnit.SECONDS);
            TimeServer.start(serverSession, "it", "ts1", reference).ready().get(10, TimeUnit.SECONDS);
            clientSession.connect().get(10, TimeUnit.SECONDS);
            TimeSyncConfig cfg = TimeSyncConfig.builder("far", List.of("ts1")).build();
            TimeSync sync = TimeSync.create(cfg, clock, Optional.empty());
            try (TimeClient client = TimeClient.start(clientSession, "it", "far", sync, cfg, scheduler, true, null)) {
                await().atMost(Duration.ofSeconds(30)).until(clock::synchronised);
                List<Long> errors = new ArrayList<>();
                List<Long> bounds = new ArrayList<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                int outside = 0;
                while (System.nanoTime() < deadline) {
                    long error = TimeOverMqttIT.trueErrorNanos(clock);
                    long bound = clock.errorBoundNanos();
                    errors.add(error);
                    bounds.add(bound);
                    if (error > bound) outside++;
                    await().pollDelay(Duration.ofMillis(50)).until(() -> true);
                }
                errors.sort(null);
                bounds.sort(null);
                System.out.printf(Locale.ROOT, "asymmetric delay (+5 ms out, 0-2 ms jitter each way): %d observations,"
                        + " |true error| p50 %.1f µs p99 %.1f µs max %.1f µs; bound p50 %.1f µs p99 %.1f µs; outside: %d;"
                        + " rejections %s%n", errors.size(), errors.get(errors.size() / 2) / 1e3,
                        errors.get((int) (errors.size() * 0.99)) / 1e3, errors.getLast() / 1e3,
                        bounds.get(bounds.size() / 2) / 1e3, bounds.get((int) (bounds.size() * 0.99)) / 1e3, outside,
                        sync.rejections());
                assertThat(outside).as("observations with the true error outside the reported bound").isZero();
                assertThat(errors.get(errors.size() / 2)).as("the asymmetry shows as a bias of ~2.5 ms")
                        .isGreaterThan(500_000L);
            }
        } finally {
            scheduler.shutdownNow();
        }
    }
}
