package dev.edgekit.agent.outbox;

import java.time.Instant;
import java.util.Objects;

/**
 * An opaque piece of agent state kept in the outbox database: a number, a text, and when it was saved.
 * Well-known names are constants on {@link CheckpointStore}.
 */
public record Checkpoint(long number, String text, Instant savedAt) {
    public Checkpoint {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(savedAt, "savedAt");
    }
}
