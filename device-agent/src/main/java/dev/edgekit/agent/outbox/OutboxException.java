package dev.edgekit.agent.outbox;

/** The outbox cannot do what was asked (cannot open its database, was interrupted, its writer failed). */
public final class OutboxException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OutboxException(String message, Throwable cause) {
        super(message, cause);
    }
}
