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
}
