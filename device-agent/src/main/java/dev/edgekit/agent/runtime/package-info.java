/**
 * The agent runtime: {@link dev.edgekit.agent.runtime.Agent} ties configuration, presence, sampling, heartbeats and
 * the MQTT session together; {@link dev.edgekit.agent.runtime.AgentEnvironment} is everything it takes from outside.
 */
package dev.edgekit.agent.runtime;
