/**
 * Consumer-side delivery helpers. QoS 1 is at-least-once: a device's outbox re-sends after a lost PUBACK or a
 * reconnect, so a consumer sees duplicates and, rarely, entries out of order. A {@link
 * dev.edgekit.protocol.delivery.Deduplicator} turns that stream into exactly-once by (device, seq) with a
 * bounded sliding window per device, and reports the sequence numbers that never came (gaps: entries the
 * device's overflow policy dropped, or a lost database).
 */
package dev.edgekit.protocol.delivery;
