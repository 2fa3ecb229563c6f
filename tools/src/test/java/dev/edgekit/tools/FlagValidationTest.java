package dev.edgekit.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** Every command refuses a bad flag while parsing: one line naming the flag, exit code 2, nothing started. */
class FlagValidationTest {
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

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "monitor --interval 0s | edgekit monitor: --interval: must be longer than 0, was 0s",
        "monitor --interval soon | edgekit monitor: --interval: 'soon' is not a duration (write e.g. 500ms, 5s, 2m, 1h)",
        "monitor --connect-timeout 0ms | edgekit monitor: --connect-timeout: must be longer than 0, was 0ms",
        "monitor --broker localhost:1883 | edgekit monitor: --broker: 'localhost:1883' is not a broker URL like tcp://127.0.0.1:1883",
        "monitor --transitions -1 | edgekit monitor: --transitions: must be 0 or more, was -1",
        "devices --settle -PT1S | edgekit devices: --settle: must not be negative, was -PT1S",
        "devices --broker tcp://h:99999 | edgekit devices: --broker: 99999 is not a TCP port (1-65535)",
        "agent --connect-timeout 0s | edgekit agent: --connect-timeout: must be longer than 0, was 0s",
        "time-server --stratum1 --id Time_1 | edgekit time-server: --id: 'Time_1' is not an id (1-63 of a-z, 0-9, '-'; starting with a letter or digit)",
        "time-server --stratum1 --status-every 0s | edgekit time-server: --status-every: must be longer than 0, was 0s",
        "simulate --port 99999 | edgekit simulate: --port: 99999 is not a TCP port (1-65535, or 0 for any free port)",
        "simulate --port 65536 | edgekit simulate: --port: 65536 is not a TCP port (1-65535, or 0 for any free port)",
        "simulate --port abc | edgekit simulate: --port: 'abc' is not a whole number",
        "simulate --heartbeat 0s | edgekit simulate: --heartbeat: must be longer than 0, was 0s",
        "simulate --sample -PT1S | edgekit simulate: --sample: must be longer than 0, was -PT1S",
        "simulate --duration 0s | edgekit simulate: --duration: must be longer than 0, was 0s",
        "simulate --faults 1.5 | edgekit simulate: --faults: must be a fraction from 0 to 1, was 1.5",
        "simulate --max-drift -5 | edgekit simulate: --max-drift: must be 0 or more, was -5",
        "simulate --advertise-on eth0 | edgekit simulate: --advertise-on: 'eth0' is not an IP address (e.g. 127.0.0.1 or 192.168.1.20)",
        "simulate --advertise-on 300.1.1.1 | edgekit simulate: --advertise-on: '300.1.1.1' is not an IP address (e.g. 127.0.0.1 or 192.168.1.20)",
        "bench sync --broker 127.0.0.1 | edgekit bench sync: --broker: '127.0.0.1' is not a broker URL like tcp://127.0.0.1:1883",
        "simulate --site Lab | edgekit simulate: --site: 'Lab' is not an id (1-63 of a-z, 0-9, '-'; starting with a letter or digit)",
        "bench sync --min-poll 0s | edgekit bench sync: --min-poll: must be longer than 0, was 0s",
        "bench detect --heartbeat 0s | edgekit bench detect: --heartbeat: must be longer than 0, was 0s",
        "bench outbox --seconds 0 | edgekit bench outbox: --seconds: must be at least 1, was 0",
        "bench startup --runs x | edgekit bench startup: --runs: 'x' is not a whole number",
        "bench startup --java /nonexistent/bin/java | edgekit bench startup: --java: '/nonexistent/bin/java' is not an executable file",
        "bench tls --exchanges 0 | edgekit bench tls: --exchanges: must be at least 1, was 0",
        "provision --site s1 --device Pi_1 --out b | edgekit provision: --device: 'Pi_1' is not an id (1-63 of a-z, 0-9, '-'; starting with a letter or digit)",
        "provision --site s1 --device d1 --out b --days 0 | edgekit provision: --days: must be at least 1, was 0",
        "revoke --device D1 | edgekit revoke: --device: 'D1' is not an id (1-63 of a-z, 0-9, '-'; starting with a letter or digit)",
    })
    void aBadFlagIsOneLineNamingItAndExitCodeTwo(String args, String line) {
        Result result = run(args.strip().split(" "));
        String command = line.substring(0, line.indexOf(':'));
        assertThat(result.err()).isEqualTo(line + " (see " + command + " --help)" + System.lineSeparator());
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
    }

    @Test
    void benchStartupRefusesAJavaThatCannotRun() throws java.io.IOException {
        Path plain = java.nio.file.Files.writeString(dir.resolve("java"), "not a program");
        plain.toFile().setExecutable(false, false);
        for (Path java : new Path[] {plain, dir}) {
            Result result = run("bench", "startup", "--java", java.toString());
            assertThat(result.err()).isEqualTo("edgekit bench startup: --java: '" + java + "' is not an executable file"
                    + " (see edgekit bench startup --help)" + System.lineSeparator());
            assertThat(result.exit()).isEqualTo(2);
        }
    }

    @Test
    void caInitWithABadPortWritesNothing() {
        Path out = dir.resolve("ca");
        Result result = run("ca", "init", "--site", "plant-1", "--out", out.toString(), "--port", "99999");
        assertThat(result.err()).isEqualTo("edgekit ca init: --port: 99999 is not a TCP port (1-65535)"
                + " (see edgekit ca init --help)" + System.lineSeparator());
        assertThat(out).doesNotExist();
    }
}
