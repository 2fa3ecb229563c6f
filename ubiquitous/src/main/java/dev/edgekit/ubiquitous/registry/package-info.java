/**
 * The registry: a live view of the fleet built from retained state, heartbeats and telemetry, for any consumer
 * (the monitor, dashboards, a time master). Devices are found by id and by human-readable name.
 */
package dev.edgekit.ubiquitous.registry;
