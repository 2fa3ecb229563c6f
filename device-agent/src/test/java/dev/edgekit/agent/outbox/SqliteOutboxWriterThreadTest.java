package dev.edgekit.agent.outbox;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.edgekit.testkit.FakeClock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteOutboxWriterThreadTest {
    @TempDir
    Path dir;

    @Test
    void theWriterLoopRunsOnAThreadFromTheGivenFactoryAndEndsWhenTheOutboxCloses() {
        List<Thread> made = new ArrayList<>();
        ThreadFactory factory = task -> {
            Thread t = Thread.ofPlatform().name("test-writer-" + made.size()).daemon(true).unstarted(task);
            made.add(t);
            return t;
        };
        OutboxConfig config = OutboxConfig.builder(dir.resolve("o.db")).clock(FakeClock.atEpochOf2026()).build();

        SqliteOutbox outbox = SqliteOutbox.open(config, factory);
        outbox.append(NewEntry.of("edgekit/v1/lab/d/telemetry/t", EntryKind.TELEMETRY, "a".getBytes(UTF_8)));
        outbox.close();

        assertThat(made).hasSize(1);
        assertThat(made.get(0).getName()).isEqualTo("test-writer-0");
        assertThat(made.get(0).isAlive()).isFalse();
    }

    @Test
    void byDefaultEachOutboxHasItsOwnNamedDaemonWriter() {
        Thread t = SqliteOutbox.OWN_WRITER_THREAD.newThread(() -> { });
        assertThat(t.getName()).isEqualTo("edgekit-outbox-writer");
        assertThat(t.isDaemon()).isTrue();
    }
}
