package dev.edgekit.protocol.shadow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class ShadowArbiterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    @Test
    void twoOperatorsThatReadTheSameVersionCannotBothWin() {
        ShadowArbiter arbiter = ShadowArbiter.empty("pi-1");
        UpdateResult first = arbiter.update(new UpdateRequest(0, json("{\"fan\":40}")), "alice", "h1");
        UpdateResult second = arbiter.update(new UpdateRequest(0, json("{\"fan\":90}")), "bob", "h2");

        assertThat(first).isEqualTo(new UpdateResult.Accepted(1));
        assertThat(second).isEqualTo(new UpdateResult.VersionConflict(0, 1));
        assertThat(arbiter.current().state()).isEqualTo(json("{\"fan\":40}"));
        assertThat(arbiter.current().writer()).isEqualTo("alice");
    }

    @Test
    void anUpdateMergesByKeyAndNullDeletes() {
        ShadowArbiter arbiter = ShadowArbiter.empty("pi-1");
        arbiter.update(new UpdateRequest(0, json("{\"led\":true,\"config\":{\"heartbeat\":\"5s\",\"sampling\":\"1s\"}}")), "a", "");
        arbiter.update(new UpdateRequest(1, json("{\"led\":null,\"config\":{\"sampling\":\"2s\"}}")), "a", "");

        assertThat(arbiter.current().state()).isEqualTo(json("{\"config\":{\"heartbeat\":\"5s\",\"sampling\":\"2s\"}}"));
        assertThat(arbiter.current().version()).isEqualTo(2);
    }

    @Test
    void arraysTooDeepNestingAndHugeVersionsAreInvalidAndChangeNothing() {
        ShadowArbiter arbiter = ShadowArbiter.empty("pi-1");
        assertThat(arbiter.update(new UpdateRequest(0, json("{\"a\":[1]}")), "a", ""))
                .isInstanceOf(UpdateResult.Invalid.class);
        assertThat(arbiter.update(new UpdateRequest(0, json("{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{\"g\":1}}}}}}}")), "a", ""))
                .isEqualTo(new UpdateResult.Invalid("state.a.b.c.d.e.f: nested deeper than 6"));
        assertThat(arbiter.update(new UpdateRequest(-1, json("{}")), "a", ""))
                .isInstanceOf(UpdateResult.Invalid.class);
        assertThat(arbiter.current().version()).isZero();
    }

    @Test
    void aDocumentThatWouldGrowPastTheLimitIsRefused() {
        ShadowArbiter arbiter = ShadowArbiter.empty("pi-1");
        long version = 0;
        UpdateResult last = null;
        for (int i = 0; i < 100 && !(last instanceof UpdateResult.Invalid); i++) {
            last = arbiter.update(new UpdateRequest(version, json("{\"k" + i + "\":\"" + "x".repeat(200) + "\"}")), "a", "");
            if (last instanceof UpdateResult.Accepted a) {
                version = a.version();
            }
        }
        assertThat(last).isInstanceOf(UpdateResult.Invalid.class);
        assertThat(((UpdateResult.Invalid) last).reason()).contains("larger than");
    }

    @Test
    void observingARetainedCopyOnlyMovesForward() {
        ShadowArbiter arbiter = ShadowArbiter.empty("pi-1");
        arbiter.observe(new Desired("pi-1", 5, "", "k", json("{\"fan\":1}")));
        arbiter.observe(new Desired("pi-1", 3, "", "k", json("{\"fan\":2}")));
        assertThat(arbiter.current().version()).isEqualTo(5);
        assertThat(arbiter.update(new UpdateRequest(3, json("{}")), "a", "")).isEqualTo(new UpdateResult.VersionConflict(3, 5));
    }

    @Test
    void theDeltaHoldsWhatTheDeviceDoesNotRunIncludingRefusals() {
        Desired desired = new Desired("pi-1", 2, "", "a", json("{\"fan\":40,\"led\":true,\"config\":{\"heartbeat\":\"5s\"}}"));
        Reported reported = new Reported("pi-1", 2, "", json("{\"fan\":40.0,\"led\":false,\"config\":{\"heartbeat\":\"5s\"}}"),
                java.util.Map.of("led", "no LED on this board"));
        assertThat(ShadowDelta.of(desired, reported)).isEqualTo(json("{\"led\":true}"));
        assertThat(ShadowDelta.of(desired, null)).isEqualTo(desired.state());
    }

    @Test
    void theDeltaAsLeavesSaysWhatIsWantedWhatRunsAndWhyNot() {
        Desired desired = new Desired("pi-1", 4, "", "a", json("{\"fan\":40,\"led\":true,"
                + "\"config\":{\"heartbeat\":\"1ms\",\"channels\":{\"env-pressure\":false},\"time\":\"x\"}}"));
        Reported reported = new Reported("pi-1", 4, "", json("{\"fan\":40,\"led\":false,"
                + "\"config\":{\"heartbeat\":\"5s\",\"channels\":{\"env-pressure\":true}}}"),
                java.util.Map.of("config.heartbeat", "1ms is out of range", "config.time", "expected an object"));

        assertThat(ShadowDelta.leaves(desired, reported)).containsExactly(
                new ShadowDelta.Leaf("led", json("{\"v\":true}").get("v"), json("{\"v\":false}").get("v"), null),
                new ShadowDelta.Leaf("config.heartbeat", json("{\"v\":\"1ms\"}").get("v"),
                        json("{\"v\":\"5s\"}").get("v"), "1ms is out of range"),
                new ShadowDelta.Leaf("config.channels.env-pressure", json("{\"v\":false}").get("v"),
                        json("{\"v\":true}").get("v"), null),
                new ShadowDelta.Leaf("config.time", json("{\"v\":\"x\"}").get("v"), null, "expected an object"));
        assertThat(ShadowDelta.leaves(desired, null)).extracting(ShadowDelta.Leaf::path).containsExactly("fan", "led",
                "config.heartbeat", "config.channels.env-pressure", "config.time");
    }

    @Test
    void pendingDeltasFollowTheRetainedDocumentsAndSayWhichDeviceChanged() {
        PendingDeltas deltas = new PendingDeltas();
        java.util.List<String> changed = new java.util.ArrayList<>();
        deltas.onChange((site, device) -> changed.add(site + "/" + device));
        ShadowCodec codec = new ShadowCodec();
        deltas.accept(inbound("edgekit/v1/lab/pi-1/shadow/desired",
                codec.encode(new Desired("pi-1", 2, "", "a", json("{\"fan\":40,\"led\":true}")))));
        deltas.accept(inbound("edgekit/v1/lab/pi-1/shadow/reported",
                codec.encode(new Reported("pi-1", 2, "", json("{\"fan\":40,\"led\":false}"), java.util.Map.of()))));
        deltas.accept(inbound("edgekit/v1/lab/pi-2/shadow/reported", "{not json".getBytes()));

        assertThat(deltas.pending("lab", "pi-1")).isEqualTo(1);
        assertThat(deltas.leaves("lab", "pi-1")).extracting(ShadowDelta.Leaf::path).containsExactly("led");
        assertThat(deltas.pending("lab", "pi-2")).isEqualTo(-1);
        assertThat(deltas.refused()).isEqualTo(1);
        assertThat(changed).containsExactly("lab/pi-1", "lab/pi-1");

        deltas.accept(inbound("edgekit/v1/lab/pi-1/shadow/desired", new byte[0])); // forgotten
        assertThat(deltas.pending("lab", "pi-1")).isEqualTo(-1);
        assertThat(deltas.reported("lab", "pi-1")).isPresent();
        assertThat(changed).hasSize(3);
    }

    private static dev.edgekit.protocol.mqtt.Inbound inbound(String topic, byte[] payload) {
        return new dev.edgekit.protocol.mqtt.Inbound(topic, payload, 1, true, false, java.util.Map.of(),
                java.util.Optional.empty(), null, null, java.time.Instant.EPOCH);
    }
}
