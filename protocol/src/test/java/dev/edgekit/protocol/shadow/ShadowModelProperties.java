package dev.edgekit.protocol.shadow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Model check of the shadow protocol without a broker: two operators read and write through the arbiter, the
 * network duplicates and reorders desired documents, the device applies (refusing fan duty above 100), is killed
 * mid-apply and restarts from its checkpoint. Whatever the interleaving, no forbidden state is reached, and once
 * the network is drained and the retained desired redelivered, the device reports the last version and the delta
 * holds exactly the refused keys.
 */
class ShadowModelProperties {
    private static final int MAX_DUTY = 100;

    private final class World {
        final ShadowArbiter keeper = ShadowArbiter.empty("pi-1");
        final long[] readVersion = new long[2];
        final List<Desired> inFlight = new ArrayList<>();
        long lastAcceptedVersion;
        // The device: physical output (survives a restart), persisted checkpoint, in-memory reconciler.
        int fan;
        long checkpoint;
        ShadowReconciler reconciler = new ShadowReconciler(0);
        Reported reported;
        int reportsForVersion;
        boolean outputsUnchangedSinceReport = true;
        final Map<Long, Integer> appliedDuty = new java.util.HashMap<>();

        void step(int code) {
            int op = code % 6;
            int arg = code / 6;
            switch (op) {
                case 0 -> readVersion[arg % 2] = keeper.current().version();
                case 1 -> write(arg % 2, arg % 121);
                case 2 -> deliver(arg, false, false);
                case 3 -> deliver(arg, true, false); // duplicated: the copy stays in flight
                case 4 -> deliver(arg, false, true); // killed after the output moved, before the report
                case 5 -> restart();
                default -> throw new IllegalStateException();
            }
            checkInvariants();
        }

        void write(int operator, int duty) {
            long expected = readVersion[operator];
            ObjectNode state = JsonNodeFactory.instance.objectNode().put("fan", duty);
            UpdateResult result = keeper.update(new UpdateRequest(expected, state), "op" + operator, "");
            switch (result) {
                case UpdateResult.Accepted a -> {
                    // Linearisable: an accepted write named exactly the version before it.
                    assertThat(expected).isEqualTo(lastAcceptedVersion);
                    assertThat(a.version()).isEqualTo(lastAcceptedVersion + 1);
                    lastAcceptedVersion = a.version();
                    readVersion[operator] = a.version();
                    inFlight.add(keeper.current());
                }
                case UpdateResult.VersionConflict c -> {
                    assertThat(c.expectedVersion()).isNotEqualTo(c.currentVersion());
                    assertThat(c.currentVersion()).isEqualTo(lastAcceptedVersion);
                }
                case UpdateResult.Invalid i -> throw new AssertionError("valid request refused: " + i.reason());
            }
        }

        void deliver(int pick, boolean duplicate, boolean killMidApply) {
            if (inFlight.isEmpty()) {
                return;
            }
            int index = pick % inFlight.size();
            Desired d = duplicate ? inFlight.get(index) : inFlight.remove(index);
            Optional<Desired> toApply = reconciler.offer(d);
            if (toApply.isEmpty()) {
                return;
            }
            int want = toApply.get().state().path("fan").asInt();
            boolean refuse = want > MAX_DUTY;
            if (!refuse) {
                fan = want; // the output really moves
                outputsUnchangedSinceReport = reported == null || reported.state().path("fan").asInt() == fan;
            }
            if (killMidApply) {
                restart();
                return;
            }
            ObjectNode state = JsonNodeFactory.instance.objectNode().put("fan", fan);
            Map<String, String> refused = refuse ? Map.of("fan", "duty " + want + " above " + MAX_DUTY) : Map.of();
            long previous = reported == null ? 0 : reported.desiredVersion();
            reported = new Reported("pi-1", d.version(), "", state, refused);
            outputsUnchangedSinceReport = true;
            appliedDuty.put(d.version(), want);
            reportsForVersion = previous == d.version() ? reportsForVersion + 1 : 1;
            checkpoint = d.version();
            reconciler.handled(d.version());
        }

        void restart() {
            reconciler = new ShadowReconciler(checkpoint);
            inFlight.add(keeper.current()); // the retained desired arrives on every (re)subscribe
        }

        void checkInvariants() {
            if (reported != null) {
                // Reported never claims what the outputs do not run, and never answers a version not yet written.
                if (outputsUnchangedSinceReport) {
                    assertThat(reported.state().path("fan").asInt()).isEqualTo(fan);
                }
                if (reported.refused().isEmpty()) {
                    assertThat(reported.state().path("fan").asInt()).isEqualTo(appliedDuty.get(reported.desiredVersion()));
                }
                assertThat(reported.desiredVersion()).isLessThanOrEqualTo(keeper.current().version());
                assertThat(reported.desiredVersion()).isEqualTo(checkpoint);
                assertThat(reportsForVersion).isEqualTo(1);
            }
            assertThat(reconciler.handledVersion()).isGreaterThanOrEqualTo(checkpoint);
        }
    }

    @Property(tries = 500)
    void noInterleavingReachesAForbiddenStateAndTheDeviceConverges(
            @ForAll @Size(max = 80) List<@IntRange(min = 0, max = 1200) Integer> script) {
        World world = new World();
        long reportedBefore = 0;
        for (int code : script) {
            world.step(code);
            long now = world.reported == null ? 0 : world.reported.desiredVersion();
            assertThat(now).as("reported version is monotonic across restarts").isGreaterThanOrEqualTo(reportedBefore);
            reportedBefore = now;
        }
        world.restart(); // reconnect: the retained desired is redelivered
        while (!world.inFlight.isEmpty()) {
            world.deliver(world.inFlight.size() - 1, false, false);
        }
        long last = world.keeper.current().version();
        if (last == 0) {
            assertThat(world.reported).isNull();
            return;
        }
        assertThat(world.reported.desiredVersion()).isEqualTo(last);
        assertThat(world.reported.state().path("fan").asInt()).isEqualTo(world.fan);
        ObjectNode delta = ShadowDelta.of(world.keeper.current(), world.reported);
        if (world.reported.refused().isEmpty()) {
            assertThat(delta.isEmpty()).as("delta empties once applied").isTrue();
        } else {
            assertThat(delta.fieldNames()).toIterable().containsExactlyElementsOf(world.reported.refused().keySet());
        }
    }
}
