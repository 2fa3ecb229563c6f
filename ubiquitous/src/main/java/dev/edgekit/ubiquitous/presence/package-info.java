/**
 * Birth and death of a device on its retained {@code state} topic: the birth certificate, the Last Will, the birth
 * sequence number that makes a stale Will harmless, and the graceful {@code offline}.
 */
package dev.edgekit.ubiquitous.presence;
