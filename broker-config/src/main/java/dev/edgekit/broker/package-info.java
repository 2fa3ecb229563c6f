/**
 * Brokers: the embedded MQTT 5 broker ({@link dev.edgekit.broker.EmbeddedBroker}) used by {@code edgekit simulate}
 * when no broker is given, beside the Mosquitto configurations in {@code broker-config/mosquitto/} (on the classpath
 * as {@code mosquitto/*.conf}).
 */
package dev.edgekit.broker;
