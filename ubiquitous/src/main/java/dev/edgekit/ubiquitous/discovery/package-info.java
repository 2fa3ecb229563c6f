/**
 * Zero-configuration discovery on a LAN with mDNS/DNS-SD (JmDNS): brokers as {@code _mqtt._tcp} and time servers as
 * {@code _edgekit-time._tcp}, so an agent with no broker configured finds one.
 */
package dev.edgekit.ubiquitous.discovery;
