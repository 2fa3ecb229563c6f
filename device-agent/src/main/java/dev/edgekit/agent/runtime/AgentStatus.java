package dev.edgekit.agent.runtime;

import dev.edgekit.protocol.mqtt.SessionStats;

/** A snapshot of an agent, for status lines and tests. */
public record AgentStatus(String id, boolean connected, long birthSeq, long heartbeats, long telemetrySent,
        long telemetryFailed, SessionStats session, String lastError) {
}
