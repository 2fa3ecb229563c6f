package dev.edgekit.agent.runtime;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgekit.testkit.FakeClock;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ClockSanityTest {
    private final Instant build = Instant.parse("2026-11-25T00:00:00Z");

    @Test
    void aBoardThatBootedIn1970IsRefusedWithAnExplanation() {
        assertThatThrownBy(() -> ClockSanity.requireNotBefore(new FakeClock(Instant.EPOCH.plusSeconds(5)), build))
                .hasMessageContaining("1970-01-01T00:00:05Z").hasMessageContaining("set the time first");
    }

    @Test
    void aClockAtOrAfterTheBuildIsBelieved() {
        assertThatCode(() -> ClockSanity.requireNotBefore(new FakeClock(build), build)).doesNotThrowAnyException();
        assertThatCode(() -> ClockSanity.requireNotBefore(new FakeClock(build.plusSeconds(86400 * 400)), build))
                .doesNotThrowAnyException();
    }
}
