package dev.edgekit.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AgentLaunchTest {
    @Test
    void plainAgentFlagsSkipPicocliWithItsDefaults() {
        AgentCommand cmd = AgentLaunch.parse(new String[] {"agent"});
        assertThat(cmd).isNotNull();
        assertThat(cmd.config).isEqualTo(Path.of("/etc/edgekit/agent.yaml"));
        assertThat(cmd.connectTimeout).isEqualTo(Duration.ofSeconds(30));
        assertThat(cmd.broker).isNull();
        assertThat(cmd.simulated).isFalse();

        cmd = AgentLaunch.parse(new String[] {"agent", "-c", "/tmp/a.yaml", "--broker", "tcp://127.0.0.1:1883",
            "--simulated", "--connect-timeout", "5s"});
        assertThat(cmd.config).isEqualTo(Path.of("/tmp/a.yaml"));
        assertThat(cmd.broker).isEqualTo("tcp://127.0.0.1:1883");
        assertThat(cmd.simulated).isTrue();
        assertThat(cmd.connectTimeout).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void anythingElseGoesToPicocli() {
        for (String[] args : new String[][] {{}, {"monitor"}, {"agent", "--help"}, {"agent", "-V"},
            {"agent", "--config"}, {"agent", "--config", "--simulated"}, {"agent", "--config=/tmp/a.yaml"},
            {"agent", "--broker", "not a url"}, {"agent", "--connect-timeout", "0s"}, {"agent", "--nope"},
            {"agent", "extra"}, {"-v", "agent"}}) {
            assertThat(AgentLaunch.parse(args)).as(String.join(" ", args)).isNull();
        }
    }

    @Test
    void picocliAcceptsWhatTheFastPathAccepts() {
        // the same flags parse in picocli too, so the fast path never accepts what the full command line would refuse
        String[] args = {"agent", "-c", "/tmp/a.yaml", "--broker", "tcp://127.0.0.1:1883", "--simulated",
            "--connect-timeout", "5s"};
        var parsed = EdgekitCommand.commandLine().parseArgs(args);
        AgentCommand picocli = (AgentCommand) parsed.subcommand().commandSpec().userObject();
        AgentCommand fast = AgentLaunch.parse(args);
        assertThat(fast.config).isEqualTo(picocli.config);
        assertThat(fast.broker).isEqualTo(picocli.broker);
        assertThat(fast.simulated).isEqualTo(picocli.simulated);
        assertThat(fast.connectTimeout).isEqualTo(picocli.connectTimeout);
        assertThat(AgentLaunch.parse(new String[] {"agent"}).connectTimeout)
                .isEqualTo(((AgentCommand) EdgekitCommand.commandLine().parseArgs("agent").subcommand().commandSpec()
                        .userObject()).connectTimeout);
    }
}
