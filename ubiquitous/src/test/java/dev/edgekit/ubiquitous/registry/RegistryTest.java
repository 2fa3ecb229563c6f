package dev.edgekit.ubiquitous.registry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.edgekit.protocol.clock.HlcTimestamp;
import dev.edgekit.protocol.clock.Stamp;
import dev.edgekit.protocol.message.Birth;
import dev.edgekit.protocol.message.Capability;
import dev.edgekit.protocol.message.Codec;
import dev.edgekit.protocol.message.Heartbeat;
import dev.edgekit.protocol.message.Message;
import dev.edgekit.protocol.message.Offline;
import dev.edgekit.protocol.message.Telemetry;
import dev.edgekit.protocol.mqtt.Inbound;
import dev.edgekit.protocol.topic.Topics;
import dev.edgekit.testkit.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RegistryTest {
    private final FakeClock clock = FakeClock.atEpochOf2026();
    private final Codec codec = new Codec(1024);
    private final Registry registry = new Registry(clock, codec);

    private Birth birth(String id, long seq) {
        return new Birth(id, "Name of " + id, "lab1", new Birth.Board("simulated", null),
                List.of(Capability.sensor("temperature", "°C")), "test", new Birth.Network(null, null, null), null,
                clock.instant(), seq, List.of());
    }

    private void receive(String topic, Message message) {
        receive(topic, codec.encode(message), null);
    }

    private void receive(String topic, byte[] payload, HlcTimestamp hlc) {
        registry.accept(new Inbound(topic, payload, 1, false, false, Map.of(),
                Optional.ofNullable(hlc).map(h -> new Stamp(1, h)), null, null, clock.instant()));
    }

    @Test
    void aBirthMakesADeviceOnlineAndFindableByIdAndName() {
        receive(Topics.state("lab1", "pi-01").topic(), birth("pi-01", 5));
        assertThat(registry.byId("lab1", "pi-01")).hasValueSatisfying(d -> {
            assertThat(d.status()).isEqualTo(DeviceView.Status.ONLINE);
            assertThat(d.birth().hasCapability("temperature")).isTrue();
        });
        assertThat(registry.byName("Name of pi-01")).extracting(DeviceView::id).containsExactly("pi-01");
    }

    @Test
    void aWillOfTheCurrentSessionTakesTheDeviceOffline() {
        receive(Topics.state("lab1", "pi-01").topic(), birth("pi-01", 5));
        receive(Topics.state("lab1", "pi-01").topic(), Offline.will("pi-01", 5));
        assertThat(registry.byId("lab1", "pi-01").orElseThrow().status()).isEqualTo(DeviceView.Status.OFFLINE);
    }

    @Test
    void aStaleWillOfAnOlderSessionIsIgnoredAndCounted() {
        receive(Topics.state("lab1", "pi-01").topic(), birth("pi-01", 6));
        receive(Topics.state("lab1", "pi-01").topic(), Offline.will("pi-01", 5));
        assertThat(registry.byId("lab1", "pi-01").orElseThrow().status()).isEqualTo(DeviceView.Status.ONLINE);
        assertThat(registry.stats().staleStates()).isEqualTo(1);
    }

    @Test
    void heartbeatsAndTelemetryUpdateTheViewAndTheNewestHlc() {
        receive(Topics.state("lab1", "pi-01").topic(), birth("pi-01", 1));
        clock.advance(Duration.ofSeconds(3));
        receive(Topics.heartbeat("lab1", "pi-01").topic(), codec.encode(new Heartbeat("pi-01", 0, 1, clock.instant(),
                3, null, null, null)), new HlcTimestamp(2000, 1));
        receive(Topics.telemetry("lab1", "pi-01", "temperature").topic(), codec.encode(new Telemetry("pi-01", 0,
                "temperature", 21.5, "°C", clock.instant())), new HlcTimestamp(1000, 0));
        DeviceView view = registry.byId("lab1", "pi-01").orElseThrow();
        assertThat(view.latest().get("temperature").value()).isEqualTo(21.5);
        assertThat(view.lastHlc()).isEqualTo(new HlcTimestamp(2000, 1));
        clock.advance(Duration.ofSeconds(2));
        assertThat(view.heartbeatAge(clock.instant())).contains(Duration.ofSeconds(2));
    }

    @Test
    void badInputIsCountedAndNeverEntersTheRegistry() {
        List<DeviceView> changes = new ArrayList<>();
        registry.addListener(changes::add);
        receive(Topics.telemetry("lab1", "pi-01", "temperature").topic(), "{not json".getBytes(UTF_8), null);
        receive(Topics.heartbeat("lab1", "pi-01").topic(), new byte[2048], null); // oversize for this codec
        receive(Topics.state("lab1", "pi-01").topic(), birth("pi-02", 1)); // id differs from the topic
        receive("edgekit/v1/lab1/NOT VALID/state", codec.encode(birth("pi-01", 1)), null);
        receive("edgekit/v1/lab1/$time/request", new byte[] {1}, null); // not a device topic: ignored, not bad
        assertThat(registry.devices()).isEmpty();
        assertThat(changes).isEmpty();
        assertThat(registry.stats()).isEqualTo(new RegistryStats(0, 3, 1, 0));
    }

    @Test
    void clearingTheRetainedStateForgetsTheDevice() {
        receive(Topics.state("lab1", "pi-01").topic(), birth("pi-01", 1));
        receive(Topics.state("lab1", "pi-01").topic(), new byte[0], null);
        assertThat(registry.devices()).isEmpty();
    }

    @Test
    void telemetryResentAtQos1IsCountedOnceAndTheCopiesAndGapsAreCounted() {
        String topic = Topics.telemetry("lab1", "pi-01", "temperature").topic();
        for (long seq : new long[] {10, 11, 11, 12, 10}) {
            receive(topic, new Telemetry("pi-01", seq, "temperature", 20 + seq, "°C", clock.instant()));
        }
        receive(topic, new Telemetry("pi-01", 12 + Registry.DEDUP_WINDOW + 5, "temperature", 1, "°C",
                clock.instant())); // 13.. never came and fall out of the window: a gap
        DeviceView view = registry.byId("lab1", "pi-01").orElseThrow();
        assertThat(view.telemetryCount()).isEqualTo(4);
        assertThat(view.duplicates()).isEqualTo(2);
        assertThat(view.missing()).isEqualTo(5);
        assertThat(registry.stats().duplicates()).isEqualTo(2);
        assertThat(registry.stats().missing()).isEqualTo(5);
    }

    private void heartbeat(String id, long seq, long birthSeq) {
        receive(Topics.heartbeat("lab1", id).topic(), new Heartbeat(id, seq, birthSeq, clock.instant(), seq, null, null,
                null));
    }

    @Test
    void aSpoofedBirthOfANewerSessionDoesNotSilenceADeviceThatIsHeartbeating() {
        receive(Topics.state("lab1", "pi-01").topic(), birth("pi-01", 5));
        heartbeat("pi-01", 0, 5);
        receive(Topics.state("lab1", "pi-01").topic(), birth("pi-01", 9)); // plausible, but not confirmed by anything
        clock.advance(Duration.ofSeconds(1));
        heartbeat("pi-01", 1, 5);

        DeviceView view = registry.byId("lab1", "pi-01").orElseThrow();
        assertThat(view.birth().birthSeq()).isEqualTo(5);
        assertThat(view.lastHeartbeat().seq()).isEqualTo(1);
        assertThat(registry.stats().unverified()).isEqualTo(1);
        assertThat(registry.stats().staleStates()).isZero();
    }

    @Test
    void aSpoofedWillOfAnUnknownNewerSessionDoesNotTakeALiveDeviceOffline() {
        receive(Topics.state("lab1", "pi-01").topic(), birth("pi-01", 5));
        heartbeat("pi-01", 0, 5);
        receive(Topics.state("lab1", "pi-01").topic(), Offline.will("pi-01", 9));

        assertThat(registry.byId("lab1", "pi-01").orElseThrow().status()).isEqualTo(DeviceView.Status.ONLINE);
        assertThat(registry.stats().unverified()).isEqualTo(1);
    }

    @Test
    void aNewSessionsBirthTakesOverAtItsFirstHeartbeat() {
        receive(Topics.state("lab1", "pi-01").topic(), birth("pi-01", 5));
        heartbeat("pi-01", 0, 5);
        receive(Topics.state("lab1", "pi-01").topic(), birth("pi-01", 6)); // a reconnect without a Will in between
        heartbeat("pi-01", 0, 6);

        DeviceView view = registry.byId("lab1", "pi-01").orElseThrow();
        assertThat(view.birth().birthSeq()).isEqualTo(6);
        assertThat(view.status()).isEqualTo(DeviceView.Status.ONLINE);
    }

    @Test
    void aNewerBirthIsTakenAtOnceWhenTheCurrentSessionHasFallenSilent() {
        receive(Topics.state("lab1", "pi-01").topic(), birth("pi-01", 5));
        heartbeat("pi-01", 0, 5);
        clock.advance(Duration.ofSeconds(4)); // three of its (assumed 1 s) intervals and more
        receive(Topics.state("lab1", "pi-01").topic(), birth("pi-01", 7));

        assertThat(registry.byId("lab1", "pi-01").orElseThrow().birth().birthSeq()).isEqualTo(7);
    }

    @Test
    void aForgedWillOfTheLiveSessionIsShownThenContradictedByItsNextHeartbeat() {
        receive(Topics.state("lab1", "pi-01").topic(), birth("pi-01", 5));
        heartbeat("pi-01", 0, 5);
        receive(Topics.state("lab1", "pi-01").topic(), Offline.will("pi-01", 5));
        receive(Topics.state("lab1", "pi-01").topic(), Offline.will("pi-01", 5)); // twice before the next heartbeat
        assertThat(registry.byId("lab1", "pi-01").orElseThrow().status()).isEqualTo(DeviceView.Status.OFFLINE);

        clock.advance(Duration.ofSeconds(1));
        heartbeat("pi-01", 1, 5);
        assertThat(registry.byId("lab1", "pi-01").orElseThrow().status()).isEqualTo(DeviceView.Status.ONLINE);
        assertThat(registry.stats().contradicted()).isEqualTo(2);
    }

    @Test
    void aRealWillStaysWhenNoHeartbeatOfThatSessionFollows() {
        receive(Topics.state("lab1", "pi-01").topic(), birth("pi-01", 5));
        heartbeat("pi-01", 0, 5);
        receive(Topics.state("lab1", "pi-01").topic(), Offline.will("pi-01", 5));
        clock.advance(Duration.ofSeconds(2));
        heartbeat("pi-01", 0, 4); // an older session's late heartbeat proves nothing

        assertThat(registry.byId("lab1", "pi-01").orElseThrow().status()).isEqualTo(DeviceView.Status.OFFLINE);
        assertThat(registry.stats().contradicted()).isZero();
        receive(Topics.state("lab1", "pi-01").topic(), birth("pi-01", 6)); // held: session 5 beat 2 s ago
        heartbeat("pi-01", 0, 6); // and taken at its first heartbeat
        DeviceView view = registry.byId("lab1", "pi-01").orElseThrow();
        assertThat(view.status()).isEqualTo(DeviceView.Status.ONLINE);
        assertThat(view.birth().birthSeq()).isEqualTo(6);
        assertThat(registry.stats().contradicted()).isZero();
    }

    @Test
    void aForgedBirthAndWillOfANewerSessionDoNotSilenceTheLiveOne() {
        receive(Topics.state("lab1", "pi-01").topic(), birth("pi-01", 5));
        heartbeat("pi-01", 0, 5);
        receive(Topics.state("lab1", "pi-01").topic(), birth("pi-01", 9)); // held
        receive(Topics.state("lab1", "pi-01").topic(), Offline.will("pi-01", 9)); // the Will of the held one: shown
        heartbeat("pi-01", 1, 5);

        DeviceView view = registry.byId("lab1", "pi-01").orElseThrow();
        assertThat(view.status()).isEqualTo(DeviceView.Status.ONLINE);
        assertThat(view.birth().birthSeq()).isEqualTo(5);
        assertThat(registry.stats().contradicted()).isEqualTo(1);
    }

    @Test
    void clearingTheStateOfADeviceThatHeartbeatsIsIgnoredAndCounted() {
        receive(Topics.state("lab1", "pi-01").topic(), birth("pi-01", 5));
        heartbeat("pi-01", 0, 5);
        receive(Topics.state("lab1", "pi-01").topic(), new byte[0], null);

        assertThat(registry.byId("lab1", "pi-01")).isPresent();
        assertThat(registry.stats().unverified()).isEqualTo(1);
        receive(Topics.state("lab1", "pi-01").topic(), Offline.will("pi-01", 5)); // a forged Will first: still there
        receive(Topics.state("lab1", "pi-01").topic(), new byte[0], null);
        assertThat(registry.byId("lab1", "pi-01")).isPresent();
        clock.advance(Duration.ofSeconds(4)); // fallen silent: now an operator's forget works
        receive(Topics.state("lab1", "pi-01").topic(), new byte[0], null);
        assertThat(registry.devices()).isEmpty();
    }
}
