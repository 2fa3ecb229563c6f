package dev.edgekit.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The dashboard command's flags: help, and one line naming a bad flag before anything connects or listens. */
class DashboardCommandTest {
    @TempDir
    Path dir;

    private record Result(int exit, String out, String err) {
    }

    private static Result run(String... args) {
        CommandLine cli = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    @Test
    void hasHelpNamingItsSafetyFlags() {
        Result help = run("dashboard", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("Usage: edgekit dashboard", "--listen", "--token-file", "--bundle",
                "--allow-controls", "--read-only");
        assertThat(run("simulate", "--help").out()).contains("--no-dashboard");
    }

    @Test
    void simulateRefusesADashboardPortOutOfRangeWhileParsingBeforeAnythingStarts() {
        Result r = run("simulate", "--devices", "1", "--broker", "tcp://127.0.0.1:1", "--dashboard-port", "70000");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--dashboard-port: 70000 is not a TCP port (1-65535)").hasLineCount(1);
    }

    @Test
    void refusesAMalformedListenAddress() {
        Result r = run("dashboard", "--listen", "localhost");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("--listen: 'localhost' is not HOST:PORT").hasLineCount(1);
        assertThat(run("dashboard", "--listen", "127.0.0.1:99999").err()).contains("is not 0..65535");
    }

    @Test
    void refusesToListenBeyondLoopbackWithoutAToken() {
        Result r = run("dashboard", "--listen", "0.0.0.0:0", "--broker", "tcp://127.0.0.1:1", "--connect-timeout",
                "1s");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("listening beyond this machine needs --token").hasLineCount(1);
    }

    @Test
    void refusesTwoTokensAndAShortOne() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "short\n");
        assertThat(run("dashboard", "--token", "x".repeat(20), "--token-file", file.toString()).err())
                .contains("give one, not both");
        assertThat(run("dashboard", "--token-file", file.toString(), "--broker", "tcp://127.0.0.1:1").err())
                .contains("--token: use at least 16 characters");
    }
}
