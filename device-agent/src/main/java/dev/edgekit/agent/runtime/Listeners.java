package dev.edgekit.agent.runtime;

import dev.edgekit.hardware.ActuatorState;
import dev.edgekit.protocol.message.Event;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The agent's {@link AgentListener}s, told in order; one that throws does not stop the others or the caller. */
final class Listeners implements AgentListener {
    private static final Logger log = LoggerFactory.getLogger(Listeners.class);

    private final List<AgentListener> all = new CopyOnWriteArrayList<>();

    AutoCloseable add(AgentListener listener) {
        all.add(listener);
        return () -> all.remove(listener);
    }

    @Override
    public void telemetry(String channel, double value, String unit, Instant time) {
        each(l -> l.telemetry(channel, value, unit, time));
    }

    @Override
    public void event(String name, Event.Severity severity, Map<String, String> attributes, Instant time) {
        each(l -> l.event(name, severity, attributes, time));
    }

    @Override
    public void outputChanged(ActuatorState state) {
        each(l -> l.outputChanged(state));
    }

    private void each(Consumer<AgentListener> call) {
        for (AgentListener listener : all) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                log.warn("listener {} failed; the others go on", listener, e);
            }
        }
    }
}
