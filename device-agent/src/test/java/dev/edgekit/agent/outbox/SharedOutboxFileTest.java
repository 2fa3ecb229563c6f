package dev.edgekit.agent.outbox;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgekit.testkit.FakeClock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many devices' outboxes in one file: each partition behaves as a file of its own would, and sees nothing else. */
class SharedOutboxFileTest {
    @TempDir
    Path dir;
    private final FakeClock clock = FakeClock.atEpochOf2026();
    private final List<Outbox> opened = new ArrayList<>();
    private SharedOutboxFile shared;

    @BeforeEach
    void openFile() {
        shared = SharedOutboxFile.open(dir.resolve("fleet.db"), Durability.NORMAL, 64, clock);
    }

    @AfterEach
    void closeAll() {
        opened.forEach(Outbox::close);
        shared.close();
    }

    private OutboxConfig.Builder config(String device) {
        return OutboxConfig.builder(dir.resolve("unused.db")).clock(clock).partitionOf(shared, device);
    }

    private Outbox open(OutboxConfig.Builder builder) {
        Outbox outbox = Outbox.open(builder.build());
        opened.add(outbox);
        return outbox;
    }

    private Outbox open(String device) {
        return open(config(device));
    }

    private void close(Outbox outbox) {
        outbox.close();
        opened.remove(outbox);
    }

    private static NewEntry telemetry(String device, String body) {
        return NewEntry.of("edgekit/v1/lab/" + device + "/telemetry/t", EntryKind.TELEMETRY, body.getBytes(UTF_8));
    }

    private static List<String> bodies(List<OutboxEntry> entries) {
        return entries.stream().map(e -> new String(e.payload(), UTF_8)).toList();
    }

    @Test
    void eachDeviceHasItsOwnSequenceEntriesAndAcknowledgements() {
        Outbox a = open("pi-a");
        clock.advance(java.time.Duration.ofMillis(1));
        Outbox b = open("pi-b");
        long a1 = a.append(telemetry("pi-a", "a1")).seq();
        long a2 = a.append(telemetry("pi-a", "a2")).seq();
        long b1 = b.append(telemetry("pi-b", "b1")).seq();

        assertThat(a2).isEqualTo(a1 + 1);
        assertThat(b1).isEqualTo(a1 + 1000); // b counts on its own, from its own start (µs since the epoch)
        assertThat(bodies(a.peek(0, 10))).containsExactly("a1", "a2");
        assertThat(bodies(b.peek(0, 10))).containsExactly("b1");

        a.acknowledge(a1);
        b.acknowledge(a2); // a seq b never had: nothing of a's goes
        a.flush();
        b.flush();
        assertThat(bodies(a.peek(0, 10))).containsExactly("a2");
        assertThat(bodies(b.peek(0, 10))).containsExactly("b1");
        assertThat(a.status().depth()).isEqualTo(1);
        assertThat(b.status().depth()).isEqualTo(1);
    }

    @Test
    void aReopenedPartitionRestoresItsEntriesSequenceAndCheckpoints() throws Exception {
        Outbox a = open("pi-a");
        Outbox b = open("pi-b");
        a.append(telemetry("pi-a", "kept"));
        long last = a.append(telemetry("pi-a", "also kept")).seq();
        assertThat(a.checkpoints().save("lamport", 41, "x").get(5, TimeUnit.SECONDS)).isTrue();
        b.checkpoints().save("lamport", 7, "y").get(5, TimeUnit.SECONDS);
        close(a);

        Outbox again = open("pi-a");
        assertThat(bodies(again.peek(0, 10))).containsExactly("kept", "also kept");
        assertThat(again.status().nextSeq()).isEqualTo(last + 1);
        assertThat(again.checkpoints().load("lamport")).hasValueSatisfying(c -> assertThat(c.number()).isEqualTo(41));
        assertThat(b.checkpoints().load("lamport")).hasValueSatisfying(c -> assertThat(c.number()).isEqualTo(7));
    }

    @Test
    void theOverflowPolicyDropsOnlyTheFullDevicesOldestTelemetry() {
        Outbox small = open(config("pi-small").maxEntries(3));
        Outbox other = open("pi-other");
        other.append(telemetry("pi-other", "o1"));
        for (int i = 1; i <= 5; i++) {
            small.append(telemetry("pi-small", "s" + i));
        }
        assertThat(bodies(small.peek(0, 10))).containsExactly("s3", "s4", "s5");
        assertThat(small.status().droppedTelemetry()).isEqualTo(2);
        assertThat(bodies(other.peek(0, 10))).containsExactly("o1");
        assertThat(other.status().droppedTelemetry()).isZero();
    }

    @Test
    void aRefusedEntryIsDeadLetteredInItsOwnPartition() {
        Outbox a = open("pi-a");
        Outbox b = open("pi-b");
        long seq = a.append(telemetry("pi-a", "refused")).seq();
        b.append(telemetry("pi-b", "fine"));
        a.reject(seq, 0x87, "not authorized");
        a.flush();
        assertThat(a.peek(0, 10)).isEmpty();
        assertThat(a.status().rejected()).isEqualTo(1);
        assertThat(bodies(b.peek(0, 10))).containsExactly("fine");
        assertThat(b.status().rejected()).isZero();
    }

    @Test
    void aPartitionIsOpenInOneOutboxAtATime() {
        Outbox a = open("pi-a");
        assertThatThrownBy(() -> open("pi-a")).isInstanceOf(OutboxException.class)
                .hasMessageContaining("pi-a").hasMessageContaining("already open");
        close(a);
        assertThat(open("pi-a").status().depth()).isZero();
    }

    @Test
    void aBoardsOwnFileAndASharedFileNeverOpenAsEachOther() {
        Path own = dir.resolve("own.db");
        Outbox.open(OutboxConfig.builder(own).clock(clock).build()).close();
        assertThatThrownBy(() -> SharedOutboxFile.open(own, Durability.NORMAL, 64, clock))
                .isInstanceOf(OutboxException.class).hasMessageContaining("a single agent's outbox");
        assertThatThrownBy(() -> Outbox.open(OutboxConfig.builder(dir.resolve("fleet.db")).clock(clock).build()))
                .isInstanceOf(OutboxException.class).hasMessageContaining("a shared outbox of many agents");
    }

    @Test
    void manyDevicesWritingAtOnceEachFindExactlyTheirOwnEntries() throws Exception {
        int devices = 16;
        int perDevice = 200;
        List<Outbox> outboxes = IntStream.range(0, devices).mapToObj(i -> open("pi-" + i)).toList();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<List<Long>>> runs = new ArrayList<>();
            for (int i = 0; i < devices; i++) {
                Outbox outbox = outboxes.get(i);
                String device = "pi-" + i;
                runs.add(CompletableFuture.supplyAsync(() -> LongStream.range(0, perDevice)
                        .map(n -> outbox.append(telemetry(device, device + "#" + n)).seq()).boxed().toList(), pool));
            }
            for (int i = 0; i < devices; i++) {
                List<Long> seqs = runs.get(i).get(30, TimeUnit.SECONDS);
                List<OutboxEntry> stored = outboxes.get(i).peek(0, 1000);
                assertThat(stored).extracting(OutboxEntry::seq).containsExactlyElementsOf(seqs);
                String device = "pi-" + i;
                assertThat(bodies(stored)).allMatch(body -> body.startsWith(device + "#"));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aCorruptSharedFileIsMovedAsideAndAFreshOneServes() throws Exception {
        Path broken = dir.resolve("broken.db");
        java.nio.file.Files.write(broken, "not a database, but long enough to be read as one".repeat(100)
                .getBytes(UTF_8));
        try (SharedOutboxFile fresh = SharedOutboxFile.open(broken, Durability.NORMAL, 64, clock)) {
            assertThat(dir.resolve("broken.db.corrupt-20260101T000000Z")).exists();
            Outbox outbox = Outbox.open(OutboxConfig.builder(broken).clock(clock).partitionOf(fresh, "pi-a").build());
            try {
                assertThat(outbox.append(telemetry("pi-a", "after")).durable()).isTrue();
            } finally {
                outbox.close();
            }
        }
    }
}
