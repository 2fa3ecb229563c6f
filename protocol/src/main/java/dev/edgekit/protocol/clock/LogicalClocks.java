package dev.edgekit.protocol.clock;

import java.time.InstantSource;
import java.util.Objects;

/**
 * The pair of logical clocks every edgekit participant keeps: stamps outgoing messages and merges incoming ones.
 * {@link dev.edgekit.protocol.mqtt.MqttSession} calls it on every publish and every receive.
 */
public final class LogicalClocks {
    private final LamportClock lamport;
    private final HybridLogicalClock hlc;

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
     * Merges a received stamp, each clock on its own: an implausible Lamport value does not stop a plausible HLC from
     * being merged, nor the other way round.
     *
     * @return the stamp of the receive event
     * @throws ImplausibleStampException when either part was refused (the other part is merged all the same)
     */
    public Stamp receive(Stamp remote) {
        ImplausibleStampException refused = null;
        long l;
        try {
            l = lamport.receive(remote.lamport());
        } catch (ImplausibleStampException e) {
            refused = e;
            l = lamport.tick();
        }
        HlcTimestamp h;
        try {
            h = hlc.receive(remote.hlc());
        } catch (ImplausibleStampException e) {
            refused = refused == null ? e : refused;
            h = hlc.tick();
        }
        if (refused != null) {
            throw refused;
        }
        return new Stamp(l, h);
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
