package dev.edgekit.ubiquitous.detect;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.edgekit.protocol.message.Birth;
import dev.edgekit.protocol.message.Capability;
import dev.edgekit.protocol.message.Codec;
import dev.edgekit.protocol.message.Heartbeat;
import dev.edgekit.protocol.message.Message;
import dev.edgekit.protocol.message.Offline;
import dev.edgekit.protocol.mqtt.Inbound;
import dev.edgekit.protocol.topic.Topics;
import dev.edgekit.testkit.ManualScheduler;
import dev.edgekit.ubiquitous.registry.DeviceQuery;
import dev.edgekit.ubiquitous.registry.Registry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class LivenessMonitorTest {
    private final ManualScheduler scheduler = new ManualScheduler();
    private final Codec codec = new Codec();
    private final Registry registry = new Registry(scheduler.clock(), codec);
    private final LivenessMonitor monitor = LivenessMonitor.attach(registry, DetectorConfig.phiAccrual());
    private final List<Transition> transitions = new ArrayList<>();
    private long seq;

    LivenessMonitorTest() {
        monitor.addListener(transitions::add);
        monitor.schedule(scheduler, scheduler.clock(), Duration.ofMillis(50));
    }

    private Birth birth(String id, long birthSeq) {
        return new Birth(id, "Name " + id, "lab1", new Birth.Board("simulated", null),
                List.of(Capability.sensor("temperature", "°C")), "test", null, null, scheduler.clock().instant(),
                birthSeq, List.of());
    }

    private void receive(String topic, Message message) {
        receive(topic, codec.encode(message));
    }

    private void receive(String topic, byte[] payload) {
        registry.accept(new Inbound(topic, payload, 1, false, false, Map.of(), Optional.empty(), null, null,
                scheduler.clock().instant()));
    }

    private void heartbeat(String id, long birthSeq) {
        receive(Topics.heartbeat("lab1", id).topic(), new Heartbeat(id, seq++, birthSeq,
                scheduler.clock().instant(), 1, null, null, null));
    }

    /** Heartbeats every second for {@code n} seconds, each delayed by up to {@code jitterMillis}. */
    private void beat(String id, long birthSeq, int n, RandomGenerator random, long jitterMillis) {
        for (int i = 0; i < n; i++) {
            long delay = jitterMillis == 0 ? 0 : random.nextLong(jitterMillis);
            scheduler.advance(Duration.ofMillis(delay));
            heartbeat(id, birthSeq);
            scheduler.advance(Duration.ofMillis(1000 - delay));
        }
    }

    private Liveness state(String id) {
        return monitor.liveness("lab1", id, scheduler.clock().instant());
    }

    @Test
    void aDeviceGoesOnlineThenSuspectThenLostThenOnlineAgain() {
        receive(Topics.state("lab1", "pi-01").topic(), birth("pi-01", 1));
        beat("pi-01", 1, 10, null, 0);
        assertThat(state("pi-01")).isEqualTo(Liveness.ONLINE);
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(state("pi-01")).isEqualTo(Liveness.SUSPECT);
        scheduler.advance(Duration.ofSeconds(9));
        assertThat(state("pi-01")).isEqualTo(Liveness.LOST);
        heartbeat("pi-01", 1);
        assertThat(state("pi-01")).isEqualTo(Liveness.ONLINE);
        assertThat(transitions).extracting(Transition::from, Transition::to, Transition::reason).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Liveness.UNKNOWN, Liveness.ONLINE, "birth"),
                org.assertj.core.groups.Tuple.tuple(Liveness.ONLINE, Liveness.SUSPECT, "phi"),
                org.assertj.core.groups.Tuple.tuple(Liveness.SUSPECT, Liveness.LOST, "silence"),
                org.assertj.core.groups.Tuple.tuple(Liveness.LOST, Liveness.ONLINE, "heartbeat"));
    }

    @Test
    void theSuspicionIsNoticedWithinOneCheckPeriodOfCrossingTheThreshold() {
        receive(Topics.state("lab1", "pi-01").topic(), birth("pi-01", 1));
        beat("pi-01", 1, 20, null, 0);
        // last heartbeat at t-1000 ms; phi 8 is crossed ≈ 1.52 s after it
        scheduler.advance(Duration.ofSeconds(3));
        Transition suspect = transitions.stream().filter(t -> t.to() == Liveness.SUSPECT).findFirst().orElseThrow();
        Duration afterLastHeartbeat = Duration.between(scheduler.clock().instant().minusSeconds(4), suspect.at());
        assertThat(afterLastHeartbeat).isBetween(Duration.ofMillis(1450), Duration.ofMillis(1650));
    }

    @Test
    void theWillTakesADeviceOfflineAtOnceWithoutWaitingForTheDetector() {
        receive(Topics.state("lab1", "pi-01").topic(), birth("pi-01", 1));
        beat("pi-01", 1, 5, null, 0);
        receive(Topics.state("lab1", "pi-01").topic(), Offline.will("pi-01", 1));
        assertThat(state("pi-01")).isEqualTo(Liveness.OFFLINE);
        assertThat(transitions.getLast()).extracting(Transition::to, Transition::reason)
                .containsExactly(Liveness.OFFLINE, "offline");
        scheduler.advance(Duration.ofSeconds(20));
        assertThat(state("pi-01")).isEqualTo(Liveness.OFFLINE); // not "lost": the Will said more
    }

    @Test
    void withSeededJitterOf200MsAFleetShowsNoFalseSuspicionInTenMinutes() {
        RandomGenerator random = RandomGenerator.of("L64X128MixRandom");
        for (int d = 0; d < 5; d++) {
            receive(Topics.state("lab1", "pi-0" + d).topic(), birth("pi-0" + d, 1));
        }
        for (int s = 0; s < 600; s++) {
            for (int d = 0; d < 5; d++) {
                scheduler.advance(Duration.ofMillis(random.nextLong(40)));
                heartbeat("pi-0" + d, 1);
            }
            scheduler.advance(Duration.ofMillis(800));
        }
        assertThat(transitions).noneMatch(t -> t.to() == Liveness.SUSPECT || t.to() == Liveness.LOST);
    }

    @Test
    void badInputNeverMovesADetector() {
        receive(Topics.state("lab1", "pi-01").topic(), birth("pi-01", 7));
        beat("pi-01", 7, 10, null, 0);
        scheduler.advance(Duration.ofSeconds(2));
        assertThat(state("pi-01")).isEqualTo(Liveness.SUSPECT);
        String topic = Topics.heartbeat("lab1", "pi-01").topic();
        receive(topic, "{\"v\":1,\"id\":\"pi-01\"".getBytes(UTF_8)); // malformed
        receive(topic, new Heartbeat("pi-02", 99, 7, scheduler.clock().instant(), 1, null, null, null)); // id ≠ topic
        receive("edgekit/v1/lab1/PI_01/heartbeat", codec.encode(new Heartbeat("pi-01", 99, 7,
                scheduler.clock().instant(), 1, null, null, null))); // invalid id in the topic
        receive(topic, new Heartbeat("pi-01", 99, 6, scheduler.clock().instant(), 1, null, null, null)); // old session
        receive(Topics.state("lab1", "pi-01").topic(), birth("pi-01", 3)); // birth of an older session
        assertThat(state("pi-01")).isEqualTo(Liveness.SUSPECT);
        assertThat(monitor.assess("lab1", "pi-01", scheduler.clock().instant()).orElseThrow().heartbeats())
                .isEqualTo(10);
        assertThat(registry.stats().malformed()).isEqualTo(2);
        assertThat(registry.stats().badTopics()).isEqualTo(1);
        assertThat(registry.stats().staleStates()).isEqualTo(2);
    }

    @Test
    void aNewBirthRestartsTheDetectorAndBringsTheDeviceBack() {
        receive(Topics.state("lab1", "pi-01").topic(), birth("pi-01", 1));
        beat("pi-01", 1, 5, null, 0);
        scheduler.advance(Duration.ofSeconds(15));
        assertThat(state("pi-01")).isEqualTo(Liveness.LOST);
        receive(Topics.state("lab1", "pi-01").topic(), birth("pi-01", 2));
        assertThat(state("pi-01")).isEqualTo(Liveness.ONLINE);
    }

    @Test
    void aRetainedBirthOfADeviceThatNeverHeartbeatsBecomesSuspectThenLost() {
        receive(Topics.state("lab1", "ghost").topic(), birth("ghost", 1));
        scheduler.advance(Duration.ofSeconds(5));
        assertThat(state("ghost")).isEqualTo(Liveness.SUSPECT);
        scheduler.advance(Duration.ofSeconds(6));
        assertThat(state("ghost")).isEqualTo(Liveness.LOST);
    }

    @Test
    void theTimeoutDetectorGivesTheSameStatesOnItsFixedSchedule() {
        Registry r = new Registry(scheduler.clock(), codec);
        LivenessMonitor m = LivenessMonitor.attach(r, DetectorConfig.timeout(Duration.ofSeconds(3)));
        r.accept(new Inbound(Topics.state("lab1", "pi-01").topic(), codec.encode(birth("pi-01", 1)), 1, true, false,
                Map.of(), Optional.empty(), null, null, scheduler.clock().instant()));
        scheduler.advance(Duration.ofMillis(2900));
        assertThat(m.liveness("lab1", "pi-01", scheduler.clock().instant())).isEqualTo(Liveness.ONLINE);
        scheduler.advance(Duration.ofMillis(200));
        assertThat(m.liveness("lab1", "pi-01", scheduler.clock().instant())).isEqualTo(Liveness.SUSPECT);
    }

    @Test
    void queriesCombineAttributesWithTheDetectorsVerdict() {
        receive(Topics.state("lab1", "pi-01").topic(), birth("pi-01", 1));
        receive(Topics.state("lab1", "pi-02").topic(), birth("pi-02", 1));
        for (int i = 0; i < 10; i++) {
            heartbeat("pi-01", 1);
            heartbeat("pi-02", 1);
            scheduler.advance(Duration.ofSeconds(1));
        }
        for (int i = 0; i < 3; i++) {
            heartbeat("pi-01", 1);
            scheduler.advance(Duration.ofSeconds(1));
        }
        var now = scheduler.clock().instant();
        DeviceQuery suspects = DeviceQuery.parse("capability=temperature status=suspect");
        assertThat(registry.devices().stream().filter(d -> suspects.matches(d,
                monitor.liveness(d.site(), d.id(), now).wire()))).extracting(d -> d.id()).containsExactly("pi-02");
        assertThat(registry.query(DeviceQuery.parse("status=online site=lab1"))).hasSize(2); // the registry alone
    }
}
