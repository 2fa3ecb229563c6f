/**
 * Logical time on every message: Lamport clocks and hybrid logical clocks, carried as MQTT 5 user properties
 * {@code lamport} and {@code hlc}, stamped on every publish and merged on every receive. Consumers order events by HLC.
 */
package dev.edgekit.protocol.clock;
