package dev.edgekit.agent.runtime;

import dev.edgekit.agent.outbox.OutboxStatus;
import dev.edgekit.protocol.mqtt.SessionStats;

/**
 * A snapshot of an agent, for status lines and tests.
 *
 * @param telemetrySent   telemetry and events the broker acknowledged (each left the outbox)
 * @param telemetryFailed failed publishes (re-sent from the outbox, not lost) and failed appends
 * @param outbox          depth, drops and storage health of the durable outbox
 */
public record AgentStatus(String id, boolean connected, long birthSeq, long heartbeats, long telemetrySent,
        long telemetryFailed, SessionStats session, String lastError, OutboxStatus outbox) {
}
