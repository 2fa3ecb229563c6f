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
     * Merges a received stamp and returns the stamp of the receive event.
     *
     * @throws HybridLogicalClock.ClockDriftException when the remote HLC is too far ahead (Lamport is still merged)
     */
    public Stamp receive(Stamp remote) {
        long l = lamport.receive(remote.lamport());
        return new Stamp(l, hlc.receive(remote.hlc()));
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
