package dev.edgekit.agent.runtime;

/**
 * A feature built on top of the agent that reads it through an {@link AgentPort} and never forks it: Home Assistant
 * discovery, Sparkplug B, the device shadow. One device model, several projections. The agent starts each projection
 * before its first connect (so subscriptions are in place for it) and closes them, in reverse order, before it says
 * {@code offline}.
 */
public interface Projection extends AutoCloseable {
    void start();

    /** Releases what {@link #start()} took; never throws. */
    @Override
    void close();

    /**
     * Stops as a crash would ({@link Agent#crash()}): nothing said on the way out, so a Will of the projection's own
     * does its work. By default the same as {@link #close()}.
     */
    default void crash() {
        close();
    }
}
