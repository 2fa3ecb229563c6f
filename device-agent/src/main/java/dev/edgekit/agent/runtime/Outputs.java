package dev.edgekit.agent.runtime;

import dev.edgekit.hardware.Actuator;
import dev.edgekit.hardware.ActuatorCommand;
import dev.edgekit.hardware.ActuatorState;
import dev.edgekit.hardware.Board;
import dev.edgekit.hardware.CommandRejectedException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The one path to the board's outputs: MQTT 5 commands, plain-topic commands and the shadow all come through here, so
 * every change is validated by the board the same way and heard by the {@link AgentListener}s.
 *
 * <p>It also blinks an LED for the {@code identify} command. A blink is not a state change: listeners do not hear of
 * it, {@link #states()} keeps showing the state before it, and that state comes back when it ends. Any command to the
 * blinking LED ends the blink first, so the command's state is the one that stays.
 */
final class Outputs {
    /** On and off every 250 ms: a 2 Hz blink people notice across a room, far from a strobe. */
    static final Duration BLINK_HALF_PERIOD = Duration.ofMillis(250);

    private final Board board;
    private final AgentListener listener;
    private final ScheduledExecutorService scheduler;
    private Blink blink; // guarded by this

    /** An LED blinking until {@code ticksLeft} half periods have passed, then back to {@code before}. */
    private static final class Blink {
        final ActuatorState before;
        final ScheduledFuture<?> task;
        long ticksLeft;
        boolean lit;

        Blink(ActuatorState before, ScheduledFuture<?> task, long ticks, boolean lit) {
            this.before = before;
            this.task = task;
            this.ticksLeft = ticks;
            this.lit = lit;
        }
    }

    Outputs(Board board, AgentListener listener, ScheduledExecutorService scheduler) {
        this.board = board;
        this.listener = listener;
        this.scheduler = scheduler;
    }

    /** @throws CommandRejectedException naming the output and the reason */
    ActuatorState command(String actuator, ActuatorCommand command) {
        ActuatorState state;
        synchronized (this) {
            if (blink != null && blink.before.name().equals(actuator)) {
                endBlink();
            }
            state = board.command(actuator, command);
        }
        listener.outputChanged(state);
        return state;
    }

    /** Every output's state, in config order; a blinking LED shows the state it returns to. */
    synchronized List<ActuatorState> states() {
        return board.actuators().stream().map(Actuator::state)
                .map(state -> blink != null && blink.before.name().equals(state.name()) ? blink.before : state)
                .toList();
    }

    /**
     * Blinks LED {@code name} for {@code duration} (a blink under way on any LED ends first), then puts it back as it
     * was. The caller has checked that {@code name} is an LED.
     *
     * @throws CommandRejectedException when the board cannot switch it (the LED is then as it was)
     */
    synchronized void blink(String name, Duration duration) {
        if (blink != null) {
            endBlink();
        }
        ActuatorState before = board.actuators().stream().filter(a -> a.name().equals(name)).findFirst()
                .orElseThrow(() -> new CommandRejectedException(name, CommandRejectedException.Reason.UNKNOWN_ACTUATOR,
                        "no output named '" + name + "'"))
                .state();
        boolean lit = !before.on();
        board.command(name, new ActuatorCommand.SetOn(lit)); // fails here, before anything is scheduled
        long half = BLINK_HALF_PERIOD.toMillis();
        long ticks = Math.max(1, duration.toMillis() / half);
        ScheduledFuture<?> task = scheduler.scheduleAtFixedRate(this::tick, half, half, TimeUnit.MILLISECONDS);
        blink = new Blink(before, task, ticks, lit);
    }

    /** The LED blinking now, if any. */
    synchronized java.util.Optional<String> blinking() {
        return java.util.Optional.ofNullable(blink).map(b -> b.before.name());
    }

    private synchronized void tick() {
        if (blink == null) {
            return;
        }
        if (--blink.ticksLeft <= 0) {
            endBlink();
            return;
        }
        blink.lit = !blink.lit;
        try {
            board.command(blink.before.name(), new ActuatorCommand.SetOn(blink.lit));
        } catch (RuntimeException e) {
            endBlink(); // the LED failed mid-blink: stop trying, every 250 ms, to switch it
        }
    }

    /** Stops the blink and puts the LED back as it was before it. */
    private void endBlink() {
        Blink ending = blink;
        blink = null;
        ending.task.cancel(false);
        try {
            board.command(ending.before.name(), new ActuatorCommand.SetOn(ending.before.on()));
        } catch (RuntimeException e) {
            // the board reports a failing LED in its health; nothing else to put back
        }
    }

    /** Ends a blink under way (the agent is stopping): the LED is left as it was before it. */
    synchronized void close() {
        if (blink != null) {
            endBlink();
        }
    }
}
