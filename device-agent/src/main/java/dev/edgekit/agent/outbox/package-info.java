/**
 * The durable outbox: telemetry and events are appended to a local SQLite database (WAL) with a per-device
 * sequence number before anything is published, leave it only after the broker's PUBACK, and are drained in
 * order through an {@link dev.edgekit.agent.outbox.OutboxDrainer} with a bounded in-flight window. The same
 * database holds the agent's checkpoints (sequence counter, logical clocks, clock frequency). The outbox is
 * bounded on disk and in memory and counts what its overflow policy drops. See ARCHITECTURE.md, Durable outbox.
 */
package dev.edgekit.agent.outbox;
