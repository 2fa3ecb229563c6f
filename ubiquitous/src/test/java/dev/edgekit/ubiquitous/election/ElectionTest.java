package dev.edgekit.ubiquitous.election;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgekit.testkit.ManualScheduler;
import dev.edgekit.ubiquitous.detect.Liveness;
import dev.edgekit.ubiquitous.detect.Transition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ElectionTest {
    private static final Duration HEARTBEAT = Duration.ofSeconds(1);

    private final ManualScheduler scheduler = new ManualScheduler();
    /** Members cut off from the bus (a partition, or a hung process). */
    private final Set<String> isolated = new HashSet<>();
    private final Set<String> dead = new HashSet<>();
    private final Map<String, Consumer<ElectionMessage>> inboxes = new LinkedHashMap<>();
    private final Map<String, Election> members = new LinkedHashMap<>();
    /** Per instant, who believed it was leader; built from leader listeners. */
    private final List<String> log = new ArrayList<>();

    private final class Bus implements ElectionTransport {
        final String owner;

        Bus(String owner) {
            this.owner = owner;
        }

        @Override
        public void send(ElectionMessage message) {
            if (isolated.contains(owner) || dead.contains(owner)) {
                return;
            }
            inboxes.forEach((id, inbox) -> {
                if (!isolated.contains(id) && !dead.contains(id)) {
                    // through the broker: a few milliseconds later
                    scheduler.schedule(() -> inbox.accept(message), 5, java.util.concurrent.TimeUnit.MILLISECONDS);
                }
            });
        }

        @Override
        public void receive(Consumer<ElectionMessage> handler) {
            inboxes.put(owner, handler);
        }
    }

    private Election member(String id) {
        Election e = Election.create(id, new Bus(id), other -> !dead.contains(other) && !isolated.contains(other),
                scheduler, ElectionConfig.forHeartbeat(HEARTBEAT));
        e.addListener((leader, self) -> log.add(scheduler.clock().instant() + " " + id + " → " + leader.orElse("-")));
        members.put(id, e);
        return e.start();
    }

    private Set<String> actingLeaders() {
        Set<String> leaders = new HashSet<>();
        members.forEach((id, e) -> {
            if (e.isLeader() && !dead.contains(id) && !isolated.contains(id)) {
                leaders.add(id);
            }
        });
        return leaders;
    }

    /** The failure detector of every surviving member reports {@code id} in state {@code state}. */
    private void detectorSays(String id, Liveness state) {
        members.forEach((m, e) -> {
            if (!m.equals(id) && !dead.contains(m) && !isolated.contains(m)) {
                e.memberChanged(new Transition("lab1", id, Liveness.ONLINE, state, scheduler.clock().instant(), 9,
                        "phi"));
            }
        });
    }

    @Test
    void theHighestRankedMemberLowestIdByDefaultIsElectedAndEveryoneFollowsIt() {
        member("pi-c");
        member("pi-a");
        member("pi-b");
        scheduler.advance(HEARTBEAT.multipliedBy(3));
        members.values().forEach(e -> assertThat(e.currentLeader()).contains("pi-a"));
        assertThat(actingLeaders()).containsExactly("pi-a");
    }

    @Test
    void whenTheLeaderDiesTheNextIsElectedWithinTwoHeartbeatsOfTheDetectorsVerdict() {
        member("pi-a");
        member("pi-b");
        member("pi-c");
        scheduler.advance(HEARTBEAT.multipliedBy(3));
        dead.add("pi-a");
        Instant verdict = scheduler.clock().instant();
        detectorSays("pi-a", Liveness.SUSPECT);
        Instant elected = null;
        for (int i = 0; i < 100 && elected == null; i++) {
            scheduler.advance(Duration.ofMillis(50));
            if (members.get("pi-b").isLeader() && members.get("pi-c").currentLeader().equals(Optional.of("pi-b"))) {
                elected = scheduler.clock().instant();
            }
        }
        assertThat(elected).isNotNull();
        assertThat(Duration.between(verdict, elected)).isLessThanOrEqualTo(HEARTBEAT);
    }

    @Test
    void afterAHungLeaderResumesTwoLeadersActForAtMostOneAnnounceInterval() {
        member("pi-a");
        member("pi-b");
        member("pi-c");
        scheduler.advance(HEARTBEAT.multipliedBy(3));
        isolated.add("pi-a"); // hung: still believes it leads, but nobody hears it
        detectorSays("pi-a", Liveness.SUSPECT);
        scheduler.advance(HEARTBEAT.multipliedBy(3));
        assertThat(members.get("pi-b").isLeader()).isTrue();
        isolated.remove("pi-a"); // resumes
        Duration overlap = Duration.ZERO;
        for (int i = 0; i < 100; i++) {
            scheduler.advance(Duration.ofMillis(20));
            if (actingLeaders().size() > 1) {
                overlap = overlap.plusMillis(20);
            }
        }
        assertThat(overlap).isLessThanOrEqualTo(HEARTBEAT);
        assertThat(actingLeaders()).containsExactly("pi-a");
        members.values().forEach(e -> assertThat(e.currentLeader()).contains("pi-a"));
    }

    @Test
    void aPartitionedMinorityElectsItsOwnLeaderAndTheFleetConvergesWhenItHeals() {
        member("pi-a");
        member("pi-b");
        member("pi-c");
        scheduler.advance(HEARTBEAT.multipliedBy(3));
        isolated.add("pi-c");
        scheduler.advance(HEARTBEAT.multipliedBy(2));
        // pi-c cannot hear pi-a: its detector says so
        members.get("pi-c").memberChanged(new Transition("lab1", "pi-a", Liveness.ONLINE, Liveness.LOST,
                scheduler.clock().instant(), 20, "silence"));
        scheduler.advance(HEARTBEAT.multipliedBy(3));
        assertThat(members.get("pi-c").isLeader()).isTrue(); // alone, it leads itself
        isolated.remove("pi-c");
        scheduler.advance(HEARTBEAT.multipliedBy(2));
        members.values().forEach(e -> assertThat(e.currentLeader()).contains("pi-a"));
        assertThat(actingLeaders()).containsExactly("pi-a");
    }

    @Test
    void aNewMemberThatOutranksTheLeaderTakesOver() {
        member("pi-b");
        member("pi-c");
        scheduler.advance(HEARTBEAT.multipliedBy(3));
        assertThat(actingLeaders()).containsExactly("pi-b");
        member("pi-a");
        scheduler.advance(HEARTBEAT.multipliedBy(2));
        assertThat(actingLeaders()).containsExactly("pi-a");
        members.values().forEach(e -> assertThat(e.currentLeader()).contains("pi-a"));
    }
}
