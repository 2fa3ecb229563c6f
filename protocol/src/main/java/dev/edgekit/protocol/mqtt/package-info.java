/**
 * The MQTT 5 session: {@link dev.edgekit.protocol.mqtt.MqttSession}, the only code in edgekit that talks to Paho.
 * It hides Paho's traps (no retry of the first connect, lost subscriptions on reconnect, its single callback thread,
 * Nagle's algorithm on its sockets) behind a small, non-blocking, future-based interface.
 */
package dev.edgekit.protocol.mqtt;
