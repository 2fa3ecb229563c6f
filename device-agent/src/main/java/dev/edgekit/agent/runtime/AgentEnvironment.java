package dev.edgekit.agent.runtime;

import dev.edgekit.agent.outbox.SharedOutboxFile;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.random.RandomGenerator;

/**
 * What an agent takes from the world around it, so that tests and the simulator can substitute every part.
 *
 * @param deviceClock   the board's clock (the system clock on a Pi; a skewed, drifting clock in simulation)
 * @param scheduler     runs sampling and heartbeats
 * @param pahoExecutor  Paho's threads ({@code PahoThreads.virtual()} for many agents in one JVM), or null
 * @param random        seeded in simulation (sensor noise, backoff jitter)
 * @param clientId      the MQTT client id; null: the device id (a board). The simulator gives each run its own, so
 *                      two runs against one broker never take over each other's sessions
 * @param outboxWriters makes the outbox's writer thread (virtual threads for many agents in one JVM), or null for
 *                      the outbox's own platform thread (the agent on a board)
 * @param sharedOutbox  keeps the outbox in the device's partition of this file (many agents in one JVM), or null for
 *                      {@code outbox.db} in the state folder (the agent on a board)
 * @param restarts      how the program running the agent restarts it (the {@code restart} command), or null: the
 *                      command is refused as not supported
 */
public record AgentEnvironment(InstantSource deviceClock, ScheduledExecutorService scheduler,
        ScheduledExecutorService pahoExecutor, RandomGenerator random, String softwareVersion, String clientId,
        ThreadFactory outboxWriters, SharedOutboxFile sharedOutbox, RestartHook restarts) {
    public AgentEnvironment {
        Objects.requireNonNull(deviceClock, "deviceClock");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(softwareVersion, "softwareVersion");
    }

    /** A board's environment: Paho's own threads, the device id as client id, the outbox on its own thread. */
    public static AgentEnvironment of(InstantSource deviceClock, ScheduledExecutorService scheduler,
            RandomGenerator random, String softwareVersion) {
        return new AgentEnvironment(deviceClock, scheduler, null, random, softwareVersion, null, null, null, null);
    }

    /** Paho's threads from {@code executor} ({@code PahoThreads.virtual()} for many agents in one JVM). */
    public AgentEnvironment withPahoExecutor(ScheduledExecutorService executor) {
        return new AgentEnvironment(deviceClock, scheduler, executor, random, softwareVersion, clientId, outboxWriters,
                sharedOutbox, restarts);
    }

    /** Its own MQTT client id instead of the device id. */
    public AgentEnvironment withClientId(String id) {
        return new AgentEnvironment(deviceClock, scheduler, pahoExecutor, random, softwareVersion, id, outboxWriters,
                sharedOutbox, restarts);
    }

    /** The outbox's writer thread made by {@code writers} instead of its own platform thread. */
    public AgentEnvironment withOutboxWriters(ThreadFactory writers) {
        return new AgentEnvironment(deviceClock, scheduler, pahoExecutor, random, softwareVersion, clientId, writers,
                sharedOutbox, restarts);
    }

    /** The outbox in the device's partition of {@code shared} instead of a file in the state folder. */
    public AgentEnvironment withSharedOutbox(SharedOutboxFile shared) {
        return new AgentEnvironment(deviceClock, scheduler, pahoExecutor, random, softwareVersion, clientId,
                outboxWriters, shared, restarts);
    }

    /** The {@code restart} command carried out by {@code hook}. */
    public AgentEnvironment withRestarts(RestartHook hook) {
        return new AgentEnvironment(deviceClock, scheduler, pahoExecutor, random, softwareVersion, clientId,
                outboxWriters, sharedOutbox, hook);
    }
}
