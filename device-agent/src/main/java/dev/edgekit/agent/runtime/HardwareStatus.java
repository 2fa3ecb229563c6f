package dev.edgekit.agent.runtime;

import java.util.List;

/**
 * The agent's hardware figures, for status lines and tests.
 *
 * @param readings                    readings published as telemetry (one per channel)
 * @param sampleFailures              sensor reads that failed (each streak also raised one sensor-fault event)
 * @param events                      hardware events published
 * @param commandsOk                  commands carried out
 * @param commandsRejected            commands answered with a typed error
 * @param commandsWithoutResponseTopic commands dropped because they named no response topic
 * @param degraded                    devices not working now, each naming its config entry
 */
public record HardwareStatus(long readings, long sampleFailures, long events, long commandsOk, long commandsRejected,
        long commandsWithoutResponseTopic, List<String> degraded) {
    public HardwareStatus {
        degraded = List.copyOf(degraded);
    }
}
