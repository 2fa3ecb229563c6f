package dev.edgekit.agent.outbox;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Agent state checkpointed in the outbox database and restored at start. Reads come from memory; saves are
 * committed in the writer's next batch (group commit with appends).
 */
public interface CheckpointStore {
    /** Lamport clock: {@code number} is the counter. */
    String LAMPORT = "clock.lamport";
    /** Hybrid logical clock: {@code text} is the protocol module's encoding, {@code number} its physical part. */
    String HLC = "clock.hlc";
    /** Disciplined clock frequency estimate: {@code text} is the decimal ppm value. */
    String FREQUENCY = "clock.frequency-ppm";

    Optional<Checkpoint> load(String name);

    Map<String, Checkpoint> loadAll();

    /**
     * Saves {@code number} and {@code text} under {@code name} (stamped with the outbox's clock). The future
     * completes with {@code true} once committed, or {@code false} if the disk is unavailable: the value is then
     * kept in memory and written with the next successful commit.
     */
    CompletableFuture<Boolean> save(String name, long number, String text);
}
