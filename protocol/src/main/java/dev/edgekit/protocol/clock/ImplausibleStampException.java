package dev.edgekit.protocol.clock;

/** A received logical time stamp was refused as implausible; the clock that refused it is unchanged. */
public class ImplausibleStampException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ImplausibleStampException(String message) {
        super(message);
    }
}
