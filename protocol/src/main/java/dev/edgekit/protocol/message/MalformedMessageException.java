package dev.edgekit.protocol.message;

/** A payload that is not a valid edgekit message; the message says what is wrong, for a counted log line. */
public final class MalformedMessageException extends Exception {
    private static final long serialVersionUID = 1L;

    public MalformedMessageException(String message) {
        super(message);
    }

    MalformedMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
