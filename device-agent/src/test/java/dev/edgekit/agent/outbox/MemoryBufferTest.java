package dev.edgekit.agent.outbox;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryBufferTest {
    private static final String TOPIC = "t"; // one byte, so an entry's size is 1 + its payload length

    private static OutboxEntry entry(long seq, EntryKind kind, String body) {
        return new OutboxEntry(seq, kind, 1, TOPIC, body.getBytes(UTF_8), Instant.EPOCH);
    }

    private static List<Long> seqs(Iterable<OutboxEntry> entries) {
        List<Long> out = new java.util.ArrayList<>();
        entries.forEach(e -> out.add(e.seq()));
        return out;
    }

    @Test
    void withinItsBoundsNothingIsDroppedAndEntriesComeBackInSequenceOrder() {
        MemoryBuffer buffer = new MemoryBuffer(10, 1_000);
        assertThat(buffer.add(entry(3, EntryKind.TELEMETRY, "c"))).isEmpty();
        assertThat(buffer.add(entry(1, EntryKind.EVENT, "a"))).isEmpty();
        assertThat(buffer.add(entry(2, EntryKind.TELEMETRY, "b"))).isEmpty();

        assertThat(seqs(buffer.all())).containsExactly(1L, 2L, 3L);
        assertThat(seqs(buffer.after(1))).containsExactly(2L, 3L);
        assertThat(buffer.size()).isEqualTo(3);
        assertThat(buffer.bytes()).isEqualTo(6);
        assertThat(buffer.firstSeq()).isEqualTo(1);
        assertThat(buffer.lastSeq()).isEqualTo(3);
    }

    @Test
    void pastTheEntryBoundTheOldestTelemetryIsDroppedBeforeAnyEvent() {
        MemoryBuffer buffer = new MemoryBuffer(2, 1_000);
        buffer.add(entry(1, EntryKind.EVENT, "e"));
        buffer.add(entry(2, EntryKind.TELEMETRY, "t"));

        List<OutboxEntry> dropped = buffer.add(entry(3, EntryKind.TELEMETRY, "u"));

        assertThat(seqs(dropped)).containsExactly(2L);
        assertThat(seqs(buffer.all())).containsExactly(1L, 3L);
    }

    @Test
    void whenOnlyEventsAreLeftTheOldestEventIsDropped() {
        MemoryBuffer buffer = new MemoryBuffer(2, 1_000);
        buffer.add(entry(1, EntryKind.EVENT, "a"));
        buffer.add(entry(2, EntryKind.EVENT, "b"));

        assertThat(seqs(buffer.add(entry(3, EntryKind.EVENT, "c")))).containsExactly(1L);
        assertThat(seqs(buffer.all())).containsExactly(2L, 3L);
    }

    @Test
    void theByteBoundCanDropSeveralEntriesForOneLargeOne() {
        MemoryBuffer buffer = new MemoryBuffer(100, 10);
        buffer.add(entry(1, EntryKind.TELEMETRY, "aaa")); // 4 bytes
        buffer.add(entry(2, EntryKind.TELEMETRY, "bbb")); // 8

        List<OutboxEntry> dropped = buffer.add(entry(3, EntryKind.TELEMETRY, "cccccc")); // 15 -> 11 -> 7

        assertThat(seqs(dropped)).containsExactly(1L, 2L);
        assertThat(buffer.bytes()).isEqualTo(7);
    }

    @Test
    void removingAnEntryFreesItsBytesAndAnUnknownSeqChangesNothing() {
        MemoryBuffer buffer = new MemoryBuffer(10, 1_000);
        buffer.add(entry(1, EntryKind.TELEMETRY, "abc"));
        buffer.add(entry(2, EntryKind.TELEMETRY, "d"));

        assertThat(buffer.remove(1)).isNotNull();
        assertThat(buffer.remove(99)).isNull();
        assertThat(buffer.bytes()).isEqualTo(2);
        assertThat(seqs(buffer.all())).containsExactly(2L);

        buffer.clear();
        assertThat(buffer.isEmpty()).isTrue();
        assertThat(buffer.bytes()).isZero();
    }
}
