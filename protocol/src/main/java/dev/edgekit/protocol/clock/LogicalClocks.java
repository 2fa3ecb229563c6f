package dev.edgekit.protocol.clock;

import java.time.InstantSource;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pair of logical clocks every edgekit participant keeps: stamps outgoing messages and merges incoming ones.
 * {@link dev.edgekit.protocol.mqtt.MqttSession} calls it on every publish and every receive.
 *
 * <p>A received stamp is merged whole or not at all: if either part is implausible (see {@link LamportClock} and
 * {@link HybridLogicalClock}) neither clock moves, and the refusal is counted per source and per reason. The count of
 * sources is bounded ({@link #MAX_SOURCES}); refusals from further sources are counted under {@link #OTHER_SOURCES}.
 */
public final class LogicalClocks {
    public static final int MAX_SOURCES = 64;
    public static final String OTHER_SOURCES = "(other)";

    private final LamportClock lamport;
    private final HybridLogicalClock hlc;
    private final Map<String, AtomicLong> refusedBySource = new ConcurrentHashMap<>();
    private final Map<StampRefusedException.Reason, AtomicLong> refusedByReason = new ConcurrentHashMap<>();

    public LogicalClocks(LamportClock lamport, HybridLogicalClock hlc) {
        this.lamport = Objects.requireNonNull(lamport, "lamport");
        this.hlc = Objects.requireNonNull(hlc, "hlc");
    }

    public static LogicalClocks startingAt(InstantSource physical) {
        return new LogicalClocks(new LamportClock(), new HybridLogicalClock(physical));
    }

    /** Stamp for a message about to be sent. */
    public Stamp send() {
        // the HLC is ticked first so the pair is taken as close together as possible; both are monotonic anyway
        HlcTimestamp h = hlc.tick();
        return new Stamp(lamport.tick(), h);
    }

    /**
     * Merges a received stamp and returns the stamp of the receive event.
     *
     * @throws StampRefusedException when either part is implausible; then neither clock has moved
     */
    public Stamp receive(Stamp remote) {
        return receive(OTHER_SOURCES, remote);
    }

    /** As {@link #receive(Stamp)}, counting a refusal against {@code source} (a device id or a topic prefix). */
    public Stamp receive(String source, Stamp remote) {
        try {
            // checked together under the HLC's lock so a refused stamp moves neither clock
            synchronized (hlc) {
                lamport.check(remote.lamport());
                hlc.check(remote.hlc());
                long l = lamport.receive(remote.lamport());
                return new Stamp(l, hlc.receive(remote.hlc()));
            }
        } catch (StampRefusedException e) {
            countRefusal(source, e.reason());
            throw e;
        }
    }

    /** Counts a stamp refused before it could be parsed (malformed user properties). */
    public void countRefusal(String source, StampRefusedException.Reason reason) {
        String key = refusedBySource.size() < MAX_SOURCES || refusedBySource.containsKey(source)
                ? source : OTHER_SOURCES;
        refusedBySource.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
        refusedByReason.computeIfAbsent(reason, k -> new AtomicLong()).incrementAndGet();
    }

    /** Refused stamps per source, sorted by source (a snapshot, at most {@link #MAX_SOURCES} + 1 entries). */
    public Map<String, Long> refusedBySource() {
        Map<String, Long> copy = new TreeMap<>();
        refusedBySource.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    /** Refused stamps per reason (a snapshot). */
    public Map<StampRefusedException.Reason, Long> refusedByReason() {
        Map<StampRefusedException.Reason, Long> copy = new TreeMap<>();
        refusedByReason.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    public Stamp current() {
        return new Stamp(lamport.current(), hlc.current());
    }

    public LamportClock lamport() {
        return lamport;
    }

    public HybridLogicalClock hlc() {
        return hlc;
    }
}
