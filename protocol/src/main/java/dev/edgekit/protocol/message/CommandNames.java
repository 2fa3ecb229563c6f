package dev.edgekit.protocol.message;

import java.util.List;

/**
 * The commands an agent answers on {@code …/{device}/cmd/{name}}: the last level of the topic. {@code set} and
 * {@code get} act on outputs; the others are one-shot actions that have no place in the device's shadow (which holds
 * state a device converges to, not events).
 */
public final class CommandNames {
    /** Switch an output or set its duty cycle ({@link SetRequest}). */
    public static final String SET = SetRequest.COMMAND;
    /** Every output's state. */
    public static final String GET = SetRequest.GET_COMMAND;
    /** Is it there: uptime, session, the device's synchronised time (for a round trip and an offset). */
    public static final String PING = "ping";
    /** Blink an LED so a person can find the board: {@code {"v":1,"output":"status","for":"10s"}}. */
    public static final String IDENTIFY = "identify";
    /** Poll the time servers now instead of at the next poll (a burst, as chrony's {@code burst}). */
    public static final String SYNC = "sync";
    /** Stop cleanly ({@code offline}) and start again, reading the configuration file anew. */
    public static final String RESTART = "restart";

    /** Every command, in the order a device lists them. */
    public static final List<String> ALL = List.of(SET, GET, PING, IDENTIFY, SYNC, RESTART);

    private CommandNames() {
    }
}
