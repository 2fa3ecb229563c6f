package dev.edgekit.tools.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Runs {@code edgekit bench tls} and writes its table to {@code console/target/tls-bench.txt}. Off unless asked for
 * with {@code -Dedgekit.bench=tls} (see SECURITY.md for the command); it asserts only that it produced figures.
 */
@EnabledIfSystemProperty(named = "edgekit.bench", matches = "tls")
class TlsBenchmarkIT {
    @Test
    void measuresTlsAndPlainTcpSideBySide() throws Exception {
        SecureSite.Result result = SecureSite.run(new TlsBenchCommand(), "--connects",
                System.getProperty("edgekit.bench.connects", "500"), "--exchanges",
                System.getProperty("edgekit.bench.exchanges", "5000"));

        assertThat(result.code()).as(result.err()).isZero();
        Files.writeString(Path.of("target", "tls-bench.txt"), result.out(), StandardCharsets.UTF_8);
        System.out.print(result.out());
        assertThat(result.out()).contains("tcp", "tls", "request/response");
    }
}
