package dev.edgekit.protocol.delivery;

/** Told when sequence numbers are given up as missing. Runs on the caller's thread, under the tracker's lock. */
@FunctionalInterface
public interface GapListener {
    /** Sequence numbers {@code fromSeq..toSeq} (inclusive) of {@code device} never arrived. */
    void onGap(String device, long fromSeq, long toSeq);

    GapListener IGNORE = (device, from, to) -> { };
}
