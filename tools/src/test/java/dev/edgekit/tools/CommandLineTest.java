package dev.edgekit.tools;


import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CommandLineTest {
    @TempDir
    Path dir;

    private record Result(int exit, String out, String err) {
    }

    private Result run(String... args) {
        CommandLine cli = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : new String[] {"agent", "simulate", "monitor", "bench"}) {
            Result help = run(command, "--help");
            assertThat(help.exit()).as(command).isZero();
            assertThat(help.out()).as(command).contains("Usage: edgekit " + command);
        }
        assertThat(run("bench", "startup", "--help").out()).contains("Usage: edgekit bench startup");
    }

    @Test
    void aMissingConfigFileIsOneLineAndExitCodeOne() {
        Result result = run("agent", "--config", dir.resolve("nope.yaml").toString());
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err().strip()).isEqualTo("edgekit agent: " + dir.resolve("nope.yaml") + ": no such file");
    }

    @Test
    void aBadConfigNamesTheEntry() throws Exception {
        Path yaml = Files.writeString(dir.resolve("agent.yaml"), "site: lab1\nboard: simulated\nheartbeat: never\nbroker: { urls: [tcp://127.0.0.1:1883] }\n",
                UTF_8);
        Result result = run("agent", "--config", yaml.toString());
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).startsWith("edgekit agent: " + yaml + ": heartbeat: 'never' is not a duration")
                .doesNotContain("Exception").hasLineCount(1);
    }

    @Test
    void anUnreachableBrokerIsOneLineAndExitCodeOne() {
        Result result = run("monitor", "--broker", "tcp://127.0.0.1:1", "--connect-timeout", "1s", "--once");
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).startsWith("edgekit monitor: cannot reach broker tcp://127.0.0.1:1").hasLineCount(1);
    }

    @Test
    void anUnknownOptionIsAUsageErrorWithExitCodeTwo() {
        Result result = run("simulate", "--devcies", "3");
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("edgekit simulate: Unknown options: '--devcies', '3'; did you mean --devices?"
                + " (see edgekit simulate --help)" + System.lineSeparator());
    }
}
