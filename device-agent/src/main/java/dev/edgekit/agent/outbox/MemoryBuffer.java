package dev.edgekit.agent.outbox;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;

/**
 * Where entries wait while the disk refuses writes: ordered by sequence number (all above any entry on disk) and
 * bounded in entries and bytes. When a bound is passed the oldest telemetry goes first, events only when no telemetry
 * is left, the same policy as on disk. Not thread-safe: confined to the outbox's writer.
 */
final class MemoryBuffer {
    private final int maxEntries;
    private final long maxBytes;
    private final TreeMap<Long, OutboxEntry> entries = new TreeMap<>();
    private long bytes;

    MemoryBuffer(int maxEntries, long maxBytes) {
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
    }

    /** Adds {@code entry} and returns the entries dropped to stay within the bounds, oldest first. */
    List<OutboxEntry> add(OutboxEntry entry) {
        entries.put(entry.seq(), entry);
        bytes += entry.size();
        List<OutboxEntry> dropped = new ArrayList<>(0);
        while (entries.size() > maxEntries || bytes > maxBytes) {
            OutboxEntry victim = null;
            for (OutboxEntry e : entries.values()) {
                if (e.kind() == EntryKind.TELEMETRY) {
                    victim = e;
                    break;
                }
            }
            if (victim == null) {
                victim = entries.firstEntry().getValue();
            }
            entries.remove(victim.seq());
            bytes -= victim.size();
            dropped.add(victim);
        }
        return dropped;
    }

    /** Removes and returns the entry with {@code seq}, or null if it is not buffered. */
    OutboxEntry remove(long seq) {
        OutboxEntry removed = entries.remove(seq);
        if (removed != null) {
            bytes -= removed.size();
        }
        return removed;
    }

    /** The buffered entries with a sequence number above {@code afterSeq}, in order (a live view). */
    Collection<OutboxEntry> after(long afterSeq) {
        return entries.tailMap(afterSeq, false).values();
    }

    Collection<OutboxEntry> all() {
        return entries.values();
    }

    void clear() {
        entries.clear();
        bytes = 0;
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    int size() {
        return entries.size();
    }

    long bytes() {
        return bytes;
    }

    long firstSeq() {
        return entries.firstKey();
    }

    long lastSeq() {
        return entries.lastKey();
    }
}
