package dev.edgekit.agent.runtime;

import dev.edgekit.hardware.HardwareEvent;
import dev.edgekit.hardware.HardwareEventListener;
import dev.edgekit.protocol.message.Event;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns the board's {@link HardwareEvent}s into {@link Event} messages on {@code …/event/{name}}: button and motion
 * changes at severity {@code info}, a sensor fault at {@code warning} (with the reason), its recovery at {@code info};
 * every event names its config entry in the {@code device} attribute. Events are stamped with the agent's disciplined
 * clock when they are published, like telemetry, not with the board's raw time (which can be seconds off).
 */
final class HardwareEvents implements HardwareEventListener {
    private final DataSink sink;
    private final InstantSource clock;
    private final AtomicLong published = new AtomicLong();

    HardwareEvents(DataSink sink, InstantSource clock) {
        this.sink = sink;
        this.clock = clock;
    }

    @Override
    public void onEvent(HardwareEvent event) {
        sink.event(event.name(), severity(event), attributes(event), clock.instant());
        published.incrementAndGet();
    }

    long published() {
        return published.get();
    }

    static Event.Severity severity(HardwareEvent event) {
        return switch (event) {
            case HardwareEvent.SensorFault f -> Event.Severity.WARNING;
            case HardwareEvent.ButtonPressed b -> Event.Severity.INFO;
            case HardwareEvent.ButtonReleased b -> Event.Severity.INFO;
            case HardwareEvent.MotionDetected m -> Event.Severity.INFO;
            case HardwareEvent.MotionCleared m -> Event.Severity.INFO;
            case HardwareEvent.SensorRecovered r -> Event.Severity.INFO;
        };
    }

    static Map<String, String> attributes(HardwareEvent event) {
        return switch (event) {
            case HardwareEvent.SensorFault f -> Map.of("device", f.device(), "reason", f.reason());
            case HardwareEvent.ButtonPressed b -> Map.of("device", b.device(), "state", "pressed");
            case HardwareEvent.ButtonReleased b -> Map.of("device", b.device(), "state", "released");
            case HardwareEvent.MotionDetected m -> Map.of("device", m.device(), "state", "motion");
            case HardwareEvent.MotionCleared m -> Map.of("device", m.device(), "state", "clear");
            case HardwareEvent.SensorRecovered r -> Map.of("device", r.device(), "state", "recovered");
        };
    }
}
