package dev.edgekit.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class NtpAndChronySectionTest {
    private final AgentConfigLoader loader = new AgentConfigLoader();
    private static final String HEAD = "site: lab1\nid: pi-01\nboard: simulated\nbroker: {}\ntime:\n  servers: [time-1]\n";

    AgentConfig.TimeConfig time(String lines) {
        return loader.parse(HEAD + lines, "agent.yaml").time();
    }

    @Test
    void withoutTheKeysThereIsNoNtpServerAndNoChronyFeed() {
        AgentConfig.TimeConfig t = time("  serve: true\n");
        assertThat(t.ntpPort()).isNull();
        assertThat(t.chrony()).isNull();
    }

    @Test
    void aServingAgentReadsItsNtpPort() {
        assertThat(time("  serve: true\n  ntpPort: 123\n").ntpPort()).isEqualTo(123);
        assertThat(time("  serve: true\n  ntpPort: 12345\n").ntpPort()).isEqualTo(12345);
    }

    @Test
    void aBadNtpPortOrOneWithoutServeIsRefusedInOneLineNamingTheKey() {
        assertThatThrownBy(() -> time("  serve: true\n  ntpPort: 70000\n")).hasMessageContaining("time.ntpPort")
                .hasMessageContaining("70000");
        assertThatThrownBy(() -> time("  serve: true\n  ntpPort: 0\n")).hasMessageContaining("time.ntpPort");
        assertThatThrownBy(() -> time("  serve: true\n  ntpPort: ntp\n")).hasMessageContaining("time.ntpPort");
        assertThatThrownBy(() -> time("  ntpPort: 123\n")).hasMessageContaining("time.ntpPort")
                .hasMessageContaining("time.serve");
    }

    @Test
    void anEmptyChronySectionTakesTheShippedSocketATenMillisecondLimitAndOneSamplePerSecond() {
        AgentConfig.Chrony c = time("  chrony: {}\n").chrony();
        assertThat(c.socket()).isEqualTo(Path.of("/run/edgekit-chrony/refclock.sock"));
        assertThat(c.maxErrorBound()).isEqualTo(Duration.ofMillis(10));
        assertThat(c.interval()).isEqualTo(Duration.ofSeconds(1));
        AgentConfig.Chrony d = time("  chrony:\n    socket: /run/x.sock\n    maxErrorBound: 0.2ms\n    interval: 2s\n")
                .chrony();
        assertThat(d.socket()).isEqualTo(Path.of("/run/x.sock"));
        assertThat(d.maxErrorBound()).isEqualTo(Duration.ofNanos(200_000));
        assertThat(d.interval()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void chronyMistakesAreRefusedInOneLineNamingTheKey() {
        assertThatThrownBy(() -> time("  chrony:\n    socket: relative.sock\n")).hasMessageContaining("time.chrony.socket");
        assertThatThrownBy(() -> time("  chrony:\n    maxErrorBound: 0s\n")).hasMessageContaining("time.chrony.maxErrorBound");
        assertThatThrownBy(() -> time("  chrony:\n    interval: 5min\n")).hasMessageContaining("time.chrony.interval");
        assertThatThrownBy(() -> time("  chrony:\n    sockett: /run/x\n")).hasMessageContaining("time.chrony.sockett");
        assertThatThrownBy(() -> time("  chrony: yes\n")).hasMessageContaining("time.chrony");
        assertThatThrownBy(() -> time("  reference: true\n  chrony: {}\n")).hasMessageContaining("time.chrony")
                .hasMessageContaining("loop");
        assertThatThrownBy(() -> time("  mode: none\n  chrony: {}\n")).hasMessageContaining("time.chrony");
    }
}
