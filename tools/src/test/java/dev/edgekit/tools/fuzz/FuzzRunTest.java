package dev.edgekit.tools.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgekit.testkit.fuzz.HostileInput;
import dev.edgekit.testkit.fuzz.HostileInput.Outcome;
import dev.edgekit.testkit.fuzz.Tally;
import dev.edgekit.ubiquitous.registry.RegistryStats;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The count check can fail: a counter that moved by one too few or too many is named. */
class FuzzRunTest {
    private static Map<String, Long> counts(long ok, long bad, long misdirected) {
        return Map.of("ok", ok, "badCommands", bad, "busy", 0L, "undelivered", 0L, "misdirected", misdirected,
                "noResponseTopic", 0L, "stamps", 0L);
    }

    private static HostileInput input(Outcome outcome) {
        return new HostileInput(HostileInput.Kind.MALFORMED, "sim-0001", "edgekit/v1/s/sim-0001/cmd/set", new byte[0],
                null, Map.of(), outcome, false);
    }

    @Test
    void aMissingCountIsNamedWithBothFigures() {
        Tally tally = new Tally();
        for (int i = 0; i < 3; i++) {
            tally.sent(input(Outcome.BAD_COMMAND));
        }
        tally.sent(input(Outcome.MISDIRECTED));
        tally.sent(input(Outcome.MISDIRECTED));
        var before = Map.of("sim-0001", counts(0, 0, 0));
        var after = Map.of("sim-0001", counts(0, 3, 1));

        assertThat(FuzzRun.miscounts(after, before, tally, new RegistryStats(0, 0, 0, 0)))
                .containsExactly("sim-0001: misdirected moved by 1, 2 such inputs were sent");
        assertThat(FuzzRun.miscounts(Map.of("sim-0001", counts(0, 3, 2)), before, tally, new RegistryStats(0, 0, 0, 0)))
                .isEmpty();
    }
}
