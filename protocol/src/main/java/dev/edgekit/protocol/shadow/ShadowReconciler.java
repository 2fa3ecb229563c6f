package dev.edgekit.protocol.shadow;

import java.util.Optional;

/**
 * The device's side of the protocol, without I/O: decides which desired documents to apply. Only a version newer
 * than the last one handled is applied, so a duplicate, a reordered older copy, or the retained copy re-delivered on
 * every reconnect never re-applies or regresses. The last handled version is the device's checkpoint: it is only
 * advanced by {@link #handled} after the outputs really changed and the report was built from them, so a device
 * killed mid-apply applies the same version again on restart. Not thread-safe.
 */
public final class ShadowReconciler {
    private long handledVersion;

    /** {@code checkpoint}: the desired version this device last reported (0 on first boot). */
    public ShadowReconciler(long checkpoint) {
        this.handledVersion = checkpoint;
    }

    public long handledVersion() {
        return handledVersion;
    }

    /** The document to apply now, or empty if it is not newer than what was handled. */
    public Optional<Desired> offer(Desired desired) {
        return desired.version() > handledVersion ? Optional.of(desired) : Optional.empty();
    }

    /** Records that {@code version} was applied and reported. */
    public void handled(long version) {
        if (version > handledVersion) {
            handledVersion = version;
        }
    }
}
