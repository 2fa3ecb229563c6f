package dev.edgekit.agent.runtime;

import dev.edgekit.agent.config.AgentConfig;
import dev.edgekit.hardware.ActuatorCommand;
import dev.edgekit.hardware.ActuatorState;
import dev.edgekit.protocol.message.Birth;
import dev.edgekit.protocol.message.Capability;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.time.DisciplinedClock;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The agent as its {@link Projection}s see it: its identity and capabilities, its outputs through the one command path
 * every caller shares (validation, the state it ends in, the {@link AgentListener#outputChanged} notice), its MQTT
 * session and clock, and a stream of what it samples. What a projection publishes it publishes on this session, under
 * the agent's own Will and ACL identity.
 */
public interface AgentPort {
    AgentConfig config();

    /** The device id (also in {@link #config()} once the agent has one). */
    String id();

    Birth.Board boardInfo();

    /** The agent's software version (as in its birth certificate). */
    String softwareVersion();

    /** What the board can do: sensors with their channels and units, outputs with their kinds. */
    List<Capability> capabilities();

    /** The state of every working output, in config order. */
    List<ActuatorState> outputs();

    /**
     * Commands an output, as {@code cmd/set} does; listeners hear of the new state.
     *
     * @throws dev.edgekit.hardware.CommandRejectedException naming the output and the reason
     */
    ActuatorState command(String actuator, ActuatorCommand command);

    MqttSession session();

    /**
     * A builder for a second session of this agent (for a projection that needs a Last Will of its own): the same
     * brokers, credentials, TLS, scheduler and Paho threads, client id {@code {agent's client id}-{suffix}}.
     */
    dev.edgekit.protocol.mqtt.MqttSessionBuilder sessionBuilder(String suffix);

    /** A fresh hybrid logical clock reading (a send event), for documents that carry their own stamp. */
    String hlc();

    /** Sets the heartbeat interval from now on (the shadow's remote configuration); the file stays as it was. */
    void heartbeatInterval(java.time.Duration interval);

    /** The heartbeat interval in force. */
    java.time.Duration heartbeatInterval();

    /**
     * Samples every sensor at {@code interval} from now on (the shadow's remote configuration); null: each sensor at
     * its own interval from the file again.
     */
    void samplingInterval(java.time.Duration interval);

    /** Whether {@link #samplingInterval(java.time.Duration)} set one interval for every sensor. */
    boolean samplingOverridden();

    /** The sampling interval in force (remote, else {@code hardware.interval}). */
    java.time.Duration samplingInterval();

    /**
     * Every sensor channel of the board, in config order, and whether it is sampled and published ({@code true}
     * unless turned off remotely).
     */
    java.util.Map<String, Boolean> channels();

    /**
     * Turns a channel's telemetry on or off from now on (the shadow's remote configuration); a sensor whose channels
     * are all off is not read at all.
     *
     * @throws IllegalArgumentException when the board has no such channel
     */
    void channelEnabled(String channel, boolean enabled);

    /** How often the agent polls its time servers, when it is a time client. */
    java.util.Optional<dev.edgekit.time.PollRange> timePolling();

    /**
     * Polls the time servers within {@code range} from now on (the shadow's remote configuration).
     *
     * @throws IllegalStateException when the agent is not a time client
     */
    void timePolling(dev.edgekit.time.PollRange range);

    /** The agent's synchronised clock. */
    DisciplinedClock clock();

    ScheduledExecutorService scheduler();

    /** Adds a listener; closing the handle removes it. */
    AutoCloseable listen(AgentListener listener);
}
