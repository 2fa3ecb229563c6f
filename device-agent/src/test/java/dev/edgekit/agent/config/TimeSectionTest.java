package dev.edgekit.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TimeSectionTest {
    private final AgentConfigLoader loader = new AgentConfigLoader();
    private static final String HEAD = "site: lab1\nid: pi-01\nboard: simulated\nbroker: { urls: [tcp://127.0.0.1:1883] }\n";

    @Test
    void withoutATimeSectionTheAgentDoesNotSynchronise() {
        assertThat(loader.parse(HEAD, "agent.yaml").time()).isEqualTo(AgentConfig.TimeConfig.NONE);
    }

    @Test
    void aTimeSectionDefaultsToNtpWithTheAgentsPollBoundsAndADriftFileUnderStateDir() {
        AgentConfig.TimeConfig t = loader.parse(HEAD + "time:\n  servers: [time-1, time-2]\n", "agent.yaml").time();
        assertThat(t.mode()).isEqualTo(AgentConfig.TimeMode.NTP);
        assertThat(t.servers()).containsExactly("time-1", "time-2");
        assertThat(t.minPoll()).isEqualTo(Duration.ofMillis(250));
        assertThat(t.maxPoll()).isEqualTo(Duration.ofSeconds(64));
        assertThat(t.driftFile()).isEqualTo(Path.of("drift"));
        assertThat(t.serve()).isFalse();
    }

    @Test
    void boundedModeReadsTminAndTmaxAndBerkeleyItsToleranceAndPeriod() {
        AgentConfig.TimeConfig b = loader.parse(HEAD + """
                time:
                  mode: bounded
                  servers: time-1
                  minTransit: 0.1ms
                  maxTransit: 5ms
                  serve: true
                """, "agent.yaml").time();
        assertThat(b.minTransit()).isEqualTo(Duration.ofNanos(100_000));
        assertThat(b.maxTransit()).isEqualTo(Duration.ofMillis(5));
        assertThat(b.serve()).isTrue();
        AgentConfig.TimeConfig k = loader.parse(HEAD + """
                time:
                  mode: berkeley
                  berkeley:
                    tolerance: 2s
                    period: 10s
                """, "agent.yaml").time();
        assertThat(k.mode()).isEqualTo(AgentConfig.TimeMode.BERKELEY);
        assertThat(k.berkeleyTolerance()).isEqualTo(Duration.ofSeconds(2));
        assertThat(k.berkeleyPeriod()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void mistakesInTheTimeSectionAreRefusedWithTheEntryNamed() {
        assertThatThrownBy(() -> loader.parse(HEAD + "time:\n  mode: ptp\n  servers: [a]\n", "agent.yaml"))
                .hasMessageContaining("time.mode");
        assertThatThrownBy(() -> loader.parse(HEAD + "time:\n  mode: ntp\n", "agent.yaml"))
                .hasMessageContaining("time.servers");
        assertThatThrownBy(() -> loader.parse(HEAD + "time:\n  mode: bounded\n  servers: [a]\n", "agent.yaml"))
                .hasMessageContaining("minTransit");
        assertThatThrownBy(() -> loader.parse(HEAD + "time:\n  servers: [a]\n  pollMax: 3s\n", "agent.yaml"))
                .hasMessageContaining("time.pollMax: unknown key");
        assertThatThrownBy(() -> loader.parse(HEAD + "time:\n  servers: [A_B]\n", "agent.yaml"))
                .hasMessageContaining("time.servers");
    }
}
