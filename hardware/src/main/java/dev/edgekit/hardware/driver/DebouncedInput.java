package dev.edgekit.hardware.driver;

import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.DigitalStateChangeListener;
import dev.edgekit.hardware.HardwareEvent;
import dev.edgekit.hardware.spec.ActiveLevel;
import dev.edgekit.hardware.spec.InputKind;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A GPIO input turned into events, debounced by settling: every edge (re)starts a timer of {@code debounce} on the
 * injected scheduler; when it fires, the pin's level is read and, if it differs from the last stable level, becomes
 * the new stable level and raises one event stamped with the injected clock. Bounces shorter than {@code debounce}
 * therefore raise nothing; a zero debounce settles on the edge itself. Pi4J's own debounce is not used (it counts in
 * microseconds of wall time, and only some providers honour it).
 */
public final class DebouncedInput implements AutoCloseable {
    private final String name;
    private final InputKind kind;
    private final DigitalInput input;
    private final ActiveLevel activeLevel;
    private final Duration debounce;
    private final InstantSource clock;
    private final ScheduledExecutorService scheduler;
    private final Consumer<HardwareEvent> events;
    private final DigitalStateChangeListener listener = event -> onEdge();
    private ScheduledFuture<?> pending;
    private boolean stableActive;
    private boolean closed;

    private DebouncedInput(String name, InputKind kind, DigitalInput input, ActiveLevel activeLevel, Duration debounce,
                           InstantSource clock, ScheduledExecutorService scheduler, Consumer<HardwareEvent> events) {
        this.name = name;
        this.kind = kind;
        this.input = input;
        this.activeLevel = activeLevel;
        this.debounce = debounce;
        this.clock = clock;
        this.scheduler = scheduler;
        this.events = events;
        this.stableActive = active(input.state());
    }

    /** Starts listening; the pin's current level is the initial stable level and raises no event. */
    public static DebouncedInput open(String name, InputKind kind, DigitalInput input, ActiveLevel activeLevel, Duration debounce,
                                      InstantSource clock, ScheduledExecutorService scheduler, Consumer<HardwareEvent> events) {
        DebouncedInput in = new DebouncedInput(Objects.requireNonNull(name), Objects.requireNonNull(kind), Objects.requireNonNull(input),
                Objects.requireNonNull(activeLevel), Objects.requireNonNull(debounce), Objects.requireNonNull(clock),
                Objects.requireNonNull(scheduler), Objects.requireNonNull(events));
        input.addListener(in.listener);
        return in;
    }

    public String name() {
        return name;
    }

    public InputKind kind() {
        return kind;
    }

    /** The debounced state: pressed, or motion present. */
    public synchronized boolean isActive() {
        return stableActive;
    }

    private void onEdge() {
        synchronized (this) {
            if (closed) {
                return;
            }
            if (pending != null) {
                pending.cancel(false);
                pending = null;
            }
            if (!debounce.isZero()) {
                pending = scheduler.schedule(this::settle, debounce.toNanos(), TimeUnit.NANOSECONDS);
                return;
            }
        }
        settle();
    }

    private void settle() {
        HardwareEvent event;
        synchronized (this) {
            pending = null;
            if (closed) {
                return;
            }
            boolean active = active(input.state());
            if (active == stableActive) {
                return;
            }
            stableActive = active;
            event = event(active, clock.instant());
        }
        events.accept(event);
    }

    private boolean active(DigitalState state) {
        boolean high = state == DigitalState.HIGH;
        return activeLevel == ActiveLevel.HIGH ? high : !high;
    }

    private HardwareEvent event(boolean active, Instant at) {
        return switch (kind) {
            case BUTTON -> active ? new HardwareEvent.ButtonPressed(name, at) : new HardwareEvent.ButtonReleased(name, at);
            case MOTION -> active ? new HardwareEvent.MotionDetected(name, at) : new HardwareEvent.MotionCleared(name, at);
        };
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (pending != null) {
                pending.cancel(false);
                pending = null;
            }
        }
        input.removeListener(listener);
    }
}
