package dev.edgekit.protocol.clock;

/** A received logical stamp that is not merged because it is implausible; the clock that refused it is unchanged. */
public class StampRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why a stamp was refused; the names are the counter keys published in the heartbeat. */
    public enum Reason {
        LAMPORT_NEGATIVE, LAMPORT_TOO_FAR_AHEAD, HLC_TOO_FAR_AHEAD, HLC_LOGICAL_TOO_LARGE, MALFORMED
    }

    private final Reason reason;

    public StampRefusedException(Reason reason, String message) {
        super(message, null, false, false); // no stack trace: refusals are expected and cheap under a flood
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
