/**
 * Defences every participant applies to what arrives from the network: log lines rate-limited per cause
 * ({@link dev.edgekit.protocol.guard.RateLimitedLog}), per-device work limits
 * ({@link dev.edgekit.protocol.guard.TokenBucket}). Time always comes from the caller, never the wall clock.
 */
package dev.edgekit.protocol.guard;
