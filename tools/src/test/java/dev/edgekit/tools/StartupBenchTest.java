package dev.edgekit.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Agents on another JDK get a class-sharing archive of their own, never the launcher's. */
class StartupBenchTest {
    private static final String OPTS = "-Xmx24m -XX:+AutoCreateSharedArchive -XX:SharedArchiveFile=/c/agent-42.jsa -Xss256k";

    @Test
    void theLaunchersJdkKeepsItsArchive() {
        assertThat(StartupBench.archivePerJava(OPTS, null)).isEqualTo(OPTS);
    }

    @Test
    void anotherJdkGetsAnArchiveBesideItNamedAfterThatJdk() {
        String jdk21 = StartupBench.archivePerJava(OPTS, Path.of("/opt/jdk21/bin/java"));
        String jdk17 = StartupBench.archivePerJava(OPTS, Path.of("/opt/jdk17/bin/java"));

        assertThat(jdk21).matches("-Xmx24m -XX:\\+AutoCreateSharedArchive -XX:SharedArchiveFile=/c/agent-42-[0-9a-f]+\\.jsa"
                + " -Xss256k");
        assertThat(jdk17).isNotEqualTo(jdk21);
        assertThat(StartupBench.archivePerJava("-XX:SharedArchiveFile=/c/a.jsa", Path.of("/opt/jdk21/bin/java")))
                .startsWith("-XX:SharedArchiveFile=/c/a-").endsWith(".jsa");
        assertThat(StartupBench.archivePerJava("-Xmx24m", Path.of("/opt/jdk21/bin/java"))).isEqualTo("-Xmx24m");
    }
}
