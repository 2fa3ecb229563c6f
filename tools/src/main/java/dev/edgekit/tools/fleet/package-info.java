/**
 * {@code edgekit bench fleet}: runs a simulated fleet in a child JVM against a real broker, watches it through an
 * independent {@code mosquitto_sub} in another process, and turns what arrived into figures (start, memory, threads,
 * CPU, sampling lag, delivery, duplicates, gaps, false suspicions, fleet-wide clock error).
 */
package dev.edgekit.tools.fleet;
