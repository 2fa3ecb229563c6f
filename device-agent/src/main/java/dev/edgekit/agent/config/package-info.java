/** The agent's configuration: {@code agent.yaml}, read strictly, with errors that name the entry. */
package dev.edgekit.agent.config;
