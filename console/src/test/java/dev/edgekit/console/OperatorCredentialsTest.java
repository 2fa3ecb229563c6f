package dev.edgekit.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class OperatorCredentialsTest {
    @TempDir
    Path dir;

    private static OperatorCredentials.Resolved resolve(String... args) {
        OperatorCredentials credentials = new OperatorCredentials();
        new CommandLine(credentials).parseArgs(args);
        return credentials.resolve();
    }

    private Path bundle(String... files) throws IOException {
        Path b = Files.createDirectories(dir.resolve("bundle"));
        Files.writeString(b.resolve("agent.yaml"), "# written by provision\nsite: s1\nid: alice\n");
        Files.writeString(b.resolve("ca.crt"), "ca");
        for (String f : files) {
            Files.writeString(b.resolve(f), "x");
        }
        return b;
    }

    @Test
    void aPasswordBundleLogsInAsTheIdOfItsAgentYaml() throws IOException {
        Path b = bundle("password");
        var r = resolve("--bundle", b.toString());
        assertThat(r.caFile()).isEqualTo(b.resolve("ca.crt"));
        assertThat(r.username()).isEqualTo("alice");
        assertThat(r.passwordFile()).isEqualTo(b.resolve("password"));
        assertThat(r.certFile()).isNull();
    }

    @Test
    void aCertificateBundlePresentsItsCertificateAndKey() throws IOException {
        Path b = bundle("client.crt", "client.key");
        var r = resolve("--bundle", b.toString());
        assertThat(r.certFile()).isEqualTo(b.resolve("client.crt"));
        assertThat(r.keyFile()).isEqualTo(b.resolve("client.key"));
        assertThat(r.username()).isNull();
    }

    @Test
    void explicitFlagsWinOverTheBundle() throws IOException {
        Path b = bundle("password");
        Path other = Files.writeString(dir.resolve("other.crt"), "ca");
        var r = resolve("--bundle", b.toString(), "--cafile", other.toString(), "--username", "bob");
        assertThat(r.caFile()).isEqualTo(other);
        assertThat(r.username()).isEqualTo("bob");
    }

    @Test
    void badCombinationsNameTheFlag() throws IOException {
        Path file = Files.writeString(dir.resolve("f"), "x");
        assertThatThrownBy(() -> resolve("--cert", file.toString())).hasMessage("--cert: needs --key");
        assertThatThrownBy(() -> resolve("--password-file", file.toString()))
                .hasMessage("--password-file: needs --username");
        assertThatThrownBy(() -> resolve("--username", "Not An Id")).hasMessageStartingWith("--username:");
        assertThatThrownBy(() -> resolve("--cafile", dir.resolve("missing").toString()))
                .hasMessageContaining("--cafile:").hasMessageContaining("does not exist");
        assertThatThrownBy(() -> resolve("--bundle", dir.resolve("nope").toString()))
                .hasMessageContaining("is not a folder");
    }

    @Test
    void noFlagsMeanNoIdentity() {
        assertThat(resolve().any()).isFalse();
    }
}
