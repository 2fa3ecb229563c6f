/**
 * Leader election for the Berkeley time master: the bully algorithm (Garcia-Molina 1982) over MQTT on
 * {@code edgekit/v1/{site}/$election/…}, driven by a registry consumer's failure detector. The seam for its users is
 * {@link dev.edgekit.ubiquitous.election.Election#currentLeader()} and its leader listeners.
 */
package dev.edgekit.ubiquitous.election;
