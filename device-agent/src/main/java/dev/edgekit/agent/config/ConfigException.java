package dev.edgekit.agent.config;

/** A configuration that cannot be used; the message names the file and the entry, e.g. {@code sensors[1].interval}. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
