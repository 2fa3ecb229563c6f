/**
 * The shadow keeper: the single writer of every device's retained {@code shadow/desired} document on a site. It
 * answers operators' MQTT 5 update requests with {@code ok} or a typed {@code version-conflict}, rebuilds its state
 * from the retained documents after its own restart, and republishes them after a broker restart.
 */
package dev.edgekit.console.shadow;
