package dev.edgekit.ubiquitous.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgekit.protocol.message.Birth;
import dev.edgekit.protocol.message.Capability;
import dev.edgekit.protocol.message.Codec;
import dev.edgekit.protocol.message.Heartbeat;
import dev.edgekit.protocol.message.Message;
import dev.edgekit.protocol.mqtt.Inbound;
import dev.edgekit.protocol.topic.Topics;
import dev.edgekit.testkit.FakeClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** One unverified message must not silence a device the registry is hearing from. */
class RegistryTrustTest {
    private final FakeClock clock = FakeClock.atEpochOf2026();
    private final Codec codec = new Codec(1024);
    private final Registry registry = new Registry(clock, codec);

    private Birth birth(long seq) {
        return new Birth("pi-01", "Pump", "lab1", new Birth.Board("simulated", null),
                List.of(Capability.sensor("temperature", "°C")), "test", new Birth.Network(null, null, null), null,
                clock.instant(), seq, List.of());
    }

    private void receive(String topic, Message message) {
        registry.accept(new Inbound(topic, codec.encode(message), 1, false, false, Map.of(), Optional.empty(), null,
                null, clock.instant()));
    }

    private void heartbeat(long seq, long birthSeq) {
        receive(Topics.heartbeat("lab1", "pi-01").topic(), new Heartbeat("pi-01", seq, birthSeq, clock.instant(), seq,
                null, null, null));
    }

    @Test
    void aSpoofedBirthABillionSessionsAheadIsRefusedAndTheRealHeartbeatsStillCount() {
        receive(Topics.state("lab1", "pi-01").topic(), birth(7));
        heartbeat(0, 7);

        long future = clock.instant().toEpochMilli() + 1_000_000_000L; // 11.6 days past this registry's clock
        receive(Topics.state("lab1", "pi-01").topic(), birth(future));
        clock.advance(Duration.ofSeconds(5));
        heartbeat(1, 7);

        DeviceView view = registry.byId("lab1", "pi-01").orElseThrow();
        assertThat(view.birth().birthSeq()).isEqualTo(7);
        assertThat(view.lastHeartbeat().seq()).isEqualTo(1);
        assertThat(view.heartbeatAge(clock.instant())).contains(Duration.ZERO);
        assertThat(registry.stats().implausible()).isEqualTo(1);
        assertThat(registry.stats().staleStates()).isZero();
    }

    @Test
    void aRestartWithinTheBoundIsANewSession() {
        receive(Topics.state("lab1", "pi-01").topic(), birth(7));

        receive(Topics.state("lab1", "pi-01").topic(), birth(7 + Registry.MAX_BIRTH_JUMP));

        assertThat(registry.byId("lab1", "pi-01").orElseThrow().birth().birthSeq())
                .isEqualTo(7 + Registry.MAX_BIRTH_JUMP);
        assertThat(registry.stats().implausible()).isZero();
    }

    @Test
    void aRestartSecondsOrMonthsLaterIsANewSessionAsAgentsNumberThemByTheirClock() {
        long first = clock.instant().toEpochMilli() - Duration.ofDays(90).toMillis(); // a board that booted at an old time
        receive(Topics.state("lab1", "pi-01").topic(), birth(first));
        heartbeat(0, first);
        clock.advance(Duration.ofSeconds(10));
        long restarted = clock.instant().toEpochMilli() + 30_000; // its clock now synchronised, 30 s ahead of ours

        receive(Topics.state("lab1", "pi-01").topic(), birth(restarted));
        heartbeat(0, restarted);

        assertThat(registry.byId("lab1", "pi-01").orElseThrow().birth().birthSeq()).isEqualTo(restarted);
        assertThat(registry.stats().implausible()).isZero();
    }

    @Test
    void aHeartbeatFromAnImplausibleSessionMovesNothing() {
        receive(Topics.state("lab1", "pi-01").topic(), birth(7));
        heartbeat(3, 7);

        heartbeat(99, clock.instant().toEpochMilli() + Registry.MAX_BIRTH_AHEAD.toMillis() + 1);

        assertThat(registry.byId("lab1", "pi-01").orElseThrow().lastHeartbeat().seq()).isEqualTo(3);
        assertThat(registry.stats().implausible()).isEqualTo(1);
    }
}
