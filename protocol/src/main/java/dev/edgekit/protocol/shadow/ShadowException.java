package dev.edgekit.protocol.shadow;

/** A shadow document or request that breaks a rule of {@link ShadowLimits}; the message names the field. */
public final class ShadowException extends Exception {
    public ShadowException(String message) {
        super(message);
    }
}
