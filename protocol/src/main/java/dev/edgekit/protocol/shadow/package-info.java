/**
 * The device shadow: a versioned {@code desired} document that operators write through a single arbiter (the shadow
 * keeper) with optimistic concurrency, a {@code reported} document the device writes after it applied (or refused)
 * a desired version, and the {@code delta} between them that any reader can compute. Everything here is pure (no
 * broker, no clock reads) so the consistency rules can be checked by property tests; the MQTT wiring lives in the
 * modules that run a keeper or a device.
 */
package dev.edgekit.protocol.shadow;
