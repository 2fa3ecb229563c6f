package dev.edgekit.tools;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What simulate tells before and while it runs: a heap too small for the fleet, its own consumer behind the broker. */
class SimulateNotesTest {
    @Test
    void withinOnePercentOrAHundredMessagesTheLineSaysNothingMore() {
        assertThat(SimulateCommand.observerBehind(0, 0)).isEmpty();
        assertThat(SimulateCommand.observerBehind(5_000, 4_901)).isEmpty();
        assertThat(SimulateCommand.observerBehind(200_000, 198_500)).isEmpty();
    }

    @Test
    void fartherBehindItSaysByHowMuch() {
        assertThat(SimulateCommand.observerBehind(159_679, 84_677))
                .isEqualTo(" · observer 75002 behind (the broker has them)");
        assertThat(SimulateCommand.observerBehind(5_000, 4_800)).contains("200 behind");
    }

    @Test
    void aFleetTooBigForTheHeapIsToldHowToFitBeforeItStarts() {
        long mb = 1024 * 1024;
        // the launcher's -Xmx320m -Xmn112m -XX:SurvivorRatio=3: the JVM reports 298 MB
        assertThat(SimulateCommand.heapNote(1000, 298 * mb)).isEmpty(); // 1,000 agents: ~125 MB live
        assertThat(SimulateCommand.heapNote(5000, 298 * mb)).get().asString()
                .contains("5000 devices want about 753 MB").contains("-Xmx753m").contains("--shard");
    }

    @Test
    void aFleetThatWouldRunOutOfFilesIsRefusedAtStartWithTheLimitToSet() {
        assertThat(SimulateCommand.fileLimitProblem(1000, false, 20_000)).isEmpty();
        assertThat(SimulateCommand.fileLimitProblem(10_000, false, 20_000)).isEmpty();
        assertThat(SimulateCommand.fileLimitProblem(10_000, true, 20_000)).get().asString()
                .startsWith("--devices: 10000 devices need about 20256 open files")
                .contains("embedded broker").contains("ulimit -n 20256").contains("--shard");
        assertThat(SimulateCommand.fileLimitProblem(1000, false, 1024)).get().asString()
                .contains("may open 1024").contains("ulimit -n 1256");
    }
}
