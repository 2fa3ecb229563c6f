package dev.edgekit.tools;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The status line says when its own consumer is behind what the broker acknowledged, instead of a stale count. */
class SimulateStatusLineTest {
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
}
