package dev.edgekit.agent.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgekit.agent.config.Durations;
import dev.edgekit.hardware.ActuatorState;
import dev.edgekit.hardware.CommandRejectedException;
import dev.edgekit.protocol.guard.TokenBucket;
import dev.edgekit.protocol.message.CommandNames;
import dev.edgekit.protocol.message.CommandReply;
import dev.edgekit.protocol.message.CommandReply.ErrorCode;
import dev.edgekit.protocol.message.Heartbeat;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one-shot commands, {@code ping}, {@code identify}, {@code sync} and {@code restart}: actions, not state, so they
 * are commands and not shadow entries. {@link CommandHandler} has checked the request (size, reply space, rate) and
 * decoded the body; every field is checked here before anything happens.
 */
final class OneShotCommands {
    static final Duration DEFAULT_IDENTIFY = Duration.ofSeconds(10);
    static final Duration MIN_IDENTIFY = Duration.ofSeconds(1);
    static final Duration MAX_IDENTIFY = Duration.ofMinutes(5);
    private static final Set<String> IDENTIFY_FIELDS = Set.of("v", "id", "output", "for");

    /** What the one-shot commands read from the agent and ask of it. */
    interface Target {
        /** Since the agent started, on the board's own clock. */
        Duration uptime();

        /** The session's birth number (-1 before the first birth). */
        long birthSeq();

        /** The synchronised clock's time. */
        Instant now();

        Heartbeat.ClockStatus clockStatus();

        /** Whether the agent polls time servers (ntp, cristian, bounded). */
        boolean timeClient();

        /** Polls the time servers now: how many start a burst, or empty when the agent is not a time client. */
        OptionalInt pollTimeNow();

        /** How the program running the agent restarts it, if it can. */
        Optional<RestartHook> restarts();

        /** A target with nothing behind it: no time client, no restart (a board's commands in tests). */
        static Target bare(java.time.InstantSource clock) {
            Instant started = clock.instant();
            return new Target() {
                @Override
                public Duration uptime() {
                    return Duration.between(started, clock.instant());
                }

                @Override
                public long birthSeq() {
                    return -1;
                }

                @Override
                public Instant now() {
                    return clock.instant();
                }

                @Override
                public Heartbeat.ClockStatus clockStatus() {
                    return Heartbeat.ClockStatus.UNSYNCHRONISED;
                }

                @Override
                public boolean timeClient() {
                    return false;
                }

                @Override
                public OptionalInt pollTimeNow() {
                    return OptionalInt.empty();
                }

                @Override
                public Optional<RestartHook> restarts() {
                    return Optional.empty();
                }
            };
        }
    }

    /** A reply, and what must happen once it has left (a restart), if anything. */
    record Outcome(CommandReply reply, Runnable afterReply) {
        static Outcome of(CommandReply reply) {
            return new Outcome(reply, null);
        }
    }

    /** The reply to a refused one-shot command: counted and logged by the caller. */
    interface Refusal {
        CommandReply refuse(String command, ErrorCode code, String message);
    }

    private final String id;
    private final Outputs outputs;
    private final Target agent;
    private final Refusal refusal;
    /** A burst costs the time servers several exchanges: one forced burst a second at most, whatever the command rate. */
    private final TokenBucket syncRate = new TokenBucket(1, 1);
    private final AtomicBoolean restarting = new AtomicBoolean();

    OneShotCommands(String id, Outputs outputs, Target agent, Refusal refusal) {
        this.id = id;
        this.outputs = outputs;
        this.agent = agent;
        this.refusal = refusal;
    }

    /** The one-shot commands this agent can carry out, for its birth certificate. */
    List<String> available(List<ActuatorState> outputStates) {
        List<String> names = new ArrayList<>(List.of(CommandNames.PING));
        if (outputStates.stream().anyMatch(state -> state.kind().equals("led"))) {
            names.add(CommandNames.IDENTIFY);
        }
        if (agent.timeClient()) {
            names.add(CommandNames.SYNC);
        }
        if (agent.restarts().isPresent()) {
            names.add(CommandNames.RESTART);
        }
        return names;
    }

    Outcome ping() {
        Map<String, String> detail = new LinkedHashMap<>();
        detail.put("uptime", uptime(agent.uptime()));
        detail.put("session", Long.toString(agent.birthSeq()));
        detail.put("time", agent.now().toString());
        describeClock(agent.clockStatus(), detail);
        return Outcome.of(new CommandReply.Ok(id, CommandNames.PING, List.of(), detail));
    }

    /** {@code {"v":1,"output":"status","for":"10s"}}; both fields optional: the first LED, 10 s. */
    Outcome identify(JsonNode body) {
        String command = CommandNames.IDENTIFY;
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!IDENTIFY_FIELDS.contains(field)) {
                return refuse(command, ErrorCode.MALFORMED, "unknown field '" + abbreviate(field)
                        + "'; identify takes 'output' (an LED's name) and 'for' (1s..5m)");
            }
        }
        Duration duration = DEFAULT_IDENTIFY;
        JsonNode forNode = body.get("for");
        if (forNode != null) {
            if (!forNode.isTextual()) {
                return refuse(command, ErrorCode.MALFORMED, "'for' must be a duration like \"10s\", was "
                        + abbreviate(forNode.toString()));
            }
            try {
                duration = Durations.parse(forNode.textValue());
            } catch (IllegalArgumentException e) {
                return refuse(command, ErrorCode.MALFORMED, "'for': " + e.getMessage());
            }
            if (duration.compareTo(MIN_IDENTIFY) < 0 || duration.compareTo(MAX_IDENTIFY) > 0) {
                return refuse(command, ErrorCode.OUT_OF_RANGE, "'for' must be 1s..5m, was " + forNode.textValue());
            }
        }
        List<ActuatorState> states = outputs.states();
        JsonNode outputNode = body.get("output");
        ActuatorState led;
        if (outputNode == null) {
            led = states.stream().filter(state -> state.kind().equals("led")).findFirst().orElse(null);
            if (led == null) {
                return refuse(command, ErrorCode.NOT_SUPPORTED, "this board has no LED to blink (identify never"
                        + " switches a relay or a fan: they drive machines)");
            }
        } else {
            if (!outputNode.isTextual()) {
                return refuse(command, ErrorCode.MALFORMED, "'output' must be an LED's name, was "
                        + abbreviate(outputNode.toString()));
            }
            String name = outputNode.textValue();
            led = states.stream().filter(state -> state.name().equals(name)).findFirst().orElse(null);
            if (led == null) {
                return refuse(command, ErrorCode.UNKNOWN_ACTUATOR, "no output named '" + abbreviate(name) + "'");
            }
            if (!led.kind().equals("led")) {
                return refuse(command, ErrorCode.NOT_SUPPORTED, "'" + name + "' is a " + led.kind()
                        + "; identify blinks LEDs only (a relay or a fan drives a machine)");
            }
        }
        try {
            outputs.blink(led.name(), duration);
        } catch (CommandRejectedException e) {
            return refuse(command, CommandHandler.code(e.reason()), e.getMessage());
        }
        Map<String, String> detail = new LinkedHashMap<>();
        detail.put("output", led.name());
        detail.put("for", Durations.format(duration));
        return Outcome.of(new CommandReply.Ok(id, command, List.of(), detail));
    }

    Outcome sync(Instant arrival) {
        String command = CommandNames.SYNC;
        Heartbeat.ClockStatus before = agent.clockStatus();
        if (!agent.timeClient()) {
            return refuse(command, ErrorCode.NOT_SUPPORTED, "this agent does not poll a time server (time.mode: "
                    + before.mode() + ")");
        }
        if (!syncRate.tryAcquire(arrival)) {
            return refuse(command, ErrorCode.BUSY, "one sync a second at most: a burst costs the time servers"
                    + " several exchanges; try again in a second");
        }
        int started = agent.pollTimeNow().orElse(0);
        Map<String, String> detail = new LinkedHashMap<>();
        detail.put("burst", started == 0 ? "already under way" : "started on " + started + " server"
                + (started == 1 ? "" : "s"));
        describeClock(before, detail);
        return Outcome.of(new CommandReply.Ok(id, command, List.of(), detail));
    }

    Outcome restart() {
        String command = CommandNames.RESTART;
        Optional<RestartHook> hook = agent.restarts();
        if (hook.isEmpty()) {
            return refuse(command, ErrorCode.NOT_SUPPORTED, "this agent runs in a program that cannot restart it");
        }
        Optional<String> problem = hook.get().problem();
        if (problem.isPresent()) {
            return refuse(command, ErrorCode.CONFIG_INVALID, "not restarting, this agent carries on: "
                    + problem.get());
        }
        if (!restarting.compareAndSet(false, true)) {
            return refuse(command, ErrorCode.BUSY, "a restart is already under way");
        }
        Map<String, String> detail = Map.of("restart", "after this reply: offline, then a new session");
        Runnable afterReply = () -> Thread.ofPlatform().daemon().name("edgekit-restart-" + id)
                .start(hook.get()::restart);
        return new Outcome(new CommandReply.Ok(id, command, List.of(), detail), afterReply);
    }

    /** {@code 1m30s}, {@code 3d4h0m12s}: whole seconds, the largest unit first. */
    static String uptime(Duration uptime) {
        long seconds = Math.max(0, uptime.toSeconds());
        long days = seconds / 86_400;
        long hours = seconds / 3_600 % 24;
        long minutes = seconds / 60 % 60;
        StringBuilder text = new StringBuilder();
        if (days > 0) text.append(days).append('d');
        if (days > 0 || hours > 0) text.append(hours).append('h');
        if (days > 0 || hours > 0 || minutes > 0) text.append(minutes).append('m');
        return text.append(seconds % 60).append('s').toString();
    }

    private static void describeClock(Heartbeat.ClockStatus clock, Map<String, String> detail) {
        detail.put("clock", clock.mode());
        if (clock.errorBoundMicros() == null) {
            detail.put("synchronised", "no");
            return;
        }
        detail.put("synchronised", "yes");
        detail.put("stratum", Integer.toString(clock.stratum()));
        if (clock.server() != null) {
            detail.put("server", abbreviate(clock.server()));
        }
        detail.put("offset", String.format(Locale.ROOT, "%+d µs", Math.round(clock.offsetMicros()))); // never "-0"
        detail.put("errorBound", String.format(Locale.ROOT, "±%d µs", Math.round(clock.errorBoundMicros())));
    }

    private Outcome refuse(String command, ErrorCode code, String message) {
        return Outcome.of(refusal.refuse(command, code, message));
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
