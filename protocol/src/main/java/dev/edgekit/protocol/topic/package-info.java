/**
 * The topic scheme: validated ids, building and parsing {@code edgekit/v1/{site}/{device}/…} topics, and MQTT filter
 * matching. Ids are always taken from topics and configuration, never from payloads.
 */
package dev.edgekit.protocol.topic;
