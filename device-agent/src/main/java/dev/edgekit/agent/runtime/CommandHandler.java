package dev.edgekit.agent.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgekit.hardware.ActuatorCommand;
import dev.edgekit.hardware.ActuatorState;
import dev.edgekit.hardware.Board;
import dev.edgekit.hardware.CommandRejectedException;
import dev.edgekit.protocol.message.Codec;
import dev.edgekit.protocol.message.CommandNames;
import dev.edgekit.protocol.message.CommandReply;
import dev.edgekit.protocol.message.CommandReply.ErrorCode;
import dev.edgekit.protocol.message.MalformedMessageException;
import dev.edgekit.protocol.message.SetRequest;
import dev.edgekit.protocol.guard.RateLimitedLog;
import dev.edgekit.protocol.guard.TokenBucket;
import dev.edgekit.protocol.mqtt.Inbound;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.protocol.topic.TopicKind;
import dev.edgekit.protocol.topic.Topics;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remote commands on the device's own {@code …/{device}/cmd/+} topics, as MQTT 5 requests: the reply goes to the
 * request's response topic with its correlation data and carries {@link CommandReply.Ok} or a
 * {@link CommandReply.Error} with a typed {@link ErrorCode}. A payload over {@link SetRequest#MAX_PAYLOAD_BYTES} is
 * refused before it is parsed; every field is checked before the board is touched; a request without a response topic
 * is counted, logged and dropped (there is nowhere to reply). Nothing here throws to the session.
 *
 * <p>Commands: {@code set} ({@code {"v":1,"actuator":"fan","duty":40}}, {@code {"v":1,"actuator":"led","on":true}})
 * and {@code get} (empty or {@code {"v":1}}: every actuator's state); the one-shot actions {@code ping},
 * {@code identify}, {@code sync} and {@code restart} are {@link OneShotCommands}'.
 */
final class CommandHandler {
    private static final Logger log = LoggerFactory.getLogger(CommandHandler.class);

    private final String site;
    private final String id;
    private final Outputs outputs;
    private final OneShotCommands oneShots;
    private final Codec codec = new Codec(SetRequest.MAX_PAYLOAD_BYTES);
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong unanswerable = new AtomicLong();
    private final AtomicLong misdirected = new AtomicLong();
    private final AtomicLong busy = new AtomicLong();
    private final AtomicLong undelivered = new AtomicLong();
    /** Commands carried out per second and saved up; a burst beyond gets a {@code busy} error reply. */
    static final int COMMANDS_PER_SECOND = 20;
    static final int COMMAND_BURST = 40;
    private final TokenBucket commandRate = new TokenBucket(COMMANDS_PER_SECOND, COMMAND_BURST);
    private final TokenBucket busyRate = new TokenBucket(COMMANDS_PER_SECOND, COMMAND_BURST);
    /** Arrival of the request being handled (handlers run one at a time): the time base of the limited log. */
    private java.time.Instant lastArrival = java.time.Instant.EPOCH;
    private final RateLimitedLog limitedLog = new RateLimitedLog(log, Duration.ofMinutes(1));

    CommandHandler(String site, String id, Outputs outputs, OneShotCommands.Target agent) {
        this.site = site;
        this.id = id;
        this.outputs = outputs;
        this.oneShots = new OneShotCommands(id, outputs, agent, this::error);
    }

    /** Straight on the board, heard by nobody, no time client and no restart (tests). */
    CommandHandler(String site, String id, Board board, ScheduledExecutorService scheduler, InstantSource clock) {
        this(site, id, new Outputs(board, new AgentListener() { }, scheduler), OneShotCommands.Target.bare(clock));
    }

    /** The filter for this device's commands, and only this device's. */
    String filter() {
        return Topics.filter(site, id, TopicKind.COMMAND);
    }

    /** The filter for this device's plain output commands, {@code …/{device}/output/+/set}. */
    String plainFilter() {
        return Topics.outputSetFilter(site, id);
    }

    /** A plain command is a word or a number: anything longer is not one. */
    static final int MAX_PLAIN_BYTES = 64;

    /**
     * A plain command from a client without MQTT 5 request/response, on {@code …/output/{name}/set}: {@code ON} or
     * {@code OFF} (also {@code true}/{@code false}, any case) for an on/off output, a whole number 0..100 for a duty
     * cycle. There is no reply: the result shows on the output's retained state topic. Same checks, limits and
     * counters as {@code cmd/set}; never throws to the session.
     */
    void handlePlain(Inbound request) {
        lastArrival = request.receivedAt();
        String[] levels = request.topic().split("/");
        String actuator = levels.length >= 2 ? levels[levels.length - 2] : "";
        if (!commandRate.tryAcquire(request.receivedAt())) {
            busy.incrementAndGet(); // nowhere to say "busy": counted, and the state topic still shows the truth
            return;
        }
        byte[] payload = request.payload();
        if (payload.length == 0 || payload.length > MAX_PLAIN_BYTES) {
            error("output/" + actuator + "/set", ErrorCode.MALFORMED, "a plain command is ON, OFF or 0..100, not "
                    + payload.length + " bytes");
            return;
        }
        String text = new String(payload, java.nio.charset.StandardCharsets.UTF_8).strip();
        ActuatorCommand action;
        switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "on", "true" -> action = new ActuatorCommand.SetOn(true);
            case "off", "false" -> action = new ActuatorCommand.SetOn(false);
            default -> {
                if (!text.matches("-?\\d{1,4}")) {
                    error("output/" + actuator + "/set", ErrorCode.MALFORMED, "'" + abbreviate(text)
                            + "' is not ON, OFF or a whole number of percent");
                    return;
                }
                action = new ActuatorCommand.SetDutyCycle(Integer.parseInt(text));
            }
        }
        try {
            ActuatorState state = outputs.command(actuator, action);
            ok.incrementAndGet();
            limitedLog.info("plain-" + actuator, lastArrival, "{}: output/{}/set {} -> on={} duty={}%", id, actuator,
                    text, state.on(), state.dutyCyclePercent());
        } catch (CommandRejectedException e) {
            error("output/" + actuator + "/set", code(e.reason()), e.getMessage());
        } catch (RuntimeException e) {
            log.error("{}: plain command on {} failed unexpectedly", id, request.topic(), e);
            error("output/" + actuator + "/set", ErrorCode.FAILED, "internal error: " + e);
        }
    }

    /** Handles one inbound request on the session's handler thread and replies through {@code session}. */
    void handle(Inbound request, MqttSession session) {
        lastArrival = request.receivedAt();
        String command = commandName(request.topic());
        if (!request.isRequest()) {
            unanswerable.incrementAndGet();
            limitedLog.warn("no-response-topic", request.receivedAt(),
                    "{}: command '{}' has no response topic (not an MQTT 5 request); ignored", id, command);
            return;
        }
        if (!ReplySpace.allows(site, id, request.responseTopic())) {
            misdirected.incrementAndGet();
            log.debug("{}: command '{}' asks for a reply on {}, outside {}; ignored", id, command,
                    request.responseTopic(), ReplySpace.prefix(site, id));
            return;
        }
        CommandReply reply;
        Runnable afterReply = null;
        if (!commandRate.tryAcquire(request.receivedAt())) {
            if (!busyRate.tryAcquire(request.receivedAt())) {
                undelivered.incrementAndGet(); // even the busy answers are over their limit: counted, not sent
                return;
            }
            busy.incrementAndGet();
            reply = new CommandReply.Error(id, command, ErrorCode.BUSY, "over this device's limit of "
                    + COMMANDS_PER_SECOND + " commands a second; not carried out, try again later");
        } else {
            try {
                OneShotCommands.Outcome outcome = run(command, request.payload());
                reply = outcome.reply();
                afterReply = outcome.afterReply();
            } catch (RuntimeException e) {
                log.error("{}: command '{}' failed unexpectedly", id, command, e);
                reply = error(command, ErrorCode.FAILED, "internal error: " + e);
            }
        }
        Runnable then = afterReply;
        try {
            session.respond(request, codec.encodeRecord((Record) reply), 1).whenComplete((sent, failure) -> {
                if (failure != null) {
                    undelivered.incrementAndGet();
                    limitedLog.warn("reply-not-delivered", request.receivedAt(), "{}: reply to '{}' not delivered: {}",
                            id, command, failure.getMessage());
                }
                if (then != null) {
                    then.run(); // a restart goes ahead whether or not the operator heard the ok
                }
            });
        } catch (RuntimeException e) {
            undelivered.incrementAndGet();
            limitedLog.warn("reply-not-sent", request.receivedAt(), "{}: reply to '{}' not sent: {}", id, command,
                    e.toString());
            if (then != null) {
                then.run();
            }
        }
    }

    /** Validates and carries out one command; always returns a reply, never throws for bad input. */
    CommandReply execute(String command, byte[] payload) {
        return run(command, payload).reply();
    }

    /** {@link #execute}, with what must happen once the reply has left ({@code restart}). */
    OneShotCommands.Outcome run(String command, byte[] payload) {
        OneShotCommands.Outcome outcome = dispatch(command, payload);
        if (outcome.reply() instanceof CommandReply.Ok) {
            ok.incrementAndGet(); // refusals were counted where they were made
        }
        return outcome;
    }

    private OneShotCommands.Outcome dispatch(String command, byte[] payload) {
        if (payload != null && payload.length > SetRequest.MAX_PAYLOAD_BYTES) {
            return OneShotCommands.Outcome.of(error(command, ErrorCode.PAYLOAD_TOO_LARGE, "payload of "
                    + payload.length + " bytes exceeds the " + SetRequest.MAX_PAYLOAD_BYTES + "-byte limit for commands"));
        }
        if (command.equals(CommandNames.SET)) {
            return OneShotCommands.Outcome.of(set(payload));
        }
        if (!CommandNames.ALL.contains(command)) {
            return OneShotCommands.Outcome.of(error(command, ErrorCode.UNKNOWN_COMMAND, "no command '"
                    + abbreviate(command) + "'; this device knows " + CommandNames.ALL));
        }
        JsonNode body; // the other commands take an optional body: {"v":1} and, for identify, its fields
        try {
            body = payload == null || payload.length == 0 ? codec.decode(JsonNode.class, EMPTY_BODY)
                    : codec.decode(JsonNode.class, payload);
        } catch (MalformedMessageException e) {
            return OneShotCommands.Outcome.of(error(command, ErrorCode.MALFORMED, e.getMessage()));
        }
        CommandReply foreign = otherDevice(command, body);
        if (foreign != null) {
            return OneShotCommands.Outcome.of(foreign);
        }
        return switch (command) {
            case CommandNames.GET -> OneShotCommands.Outcome.of(get());
            case CommandNames.PING -> oneShots.ping();
            case CommandNames.IDENTIFY -> oneShots.identify(body);
            case CommandNames.SYNC -> oneShots.sync(lastArrival);
            default -> oneShots.restart();
        };
    }

    private static final byte[] EMPTY_BODY = "{\"v\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private CommandReply set(byte[] payload) {
        String command = SetRequest.COMMAND;
        JsonNode body;
        try {
            body = codec.decode(JsonNode.class, payload);
        } catch (MalformedMessageException e) {
            return error(command, ErrorCode.MALFORMED, e.getMessage());
        }
        CommandReply foreign = otherDevice(command, body);
        if (foreign != null) {
            return foreign;
        }
        JsonNode actuatorNode = body.get("actuator");
        if (actuatorNode == null || !actuatorNode.isTextual() || actuatorNode.asText().isBlank()) {
            return error(command, ErrorCode.MALFORMED, "'actuator' (the actuator's config entry name) is required");
        }
        String actuator = actuatorNode.asText();
        JsonNode on = body.get("on");
        JsonNode duty = body.get("duty");
        if ((on == null) == (duty == null)) {
            return error(command, ErrorCode.MALFORMED, "give exactly one of 'on' (true/false) and 'duty' (0..100)");
        }
        ActuatorCommand action;
        if (on != null) {
            if (!on.isBoolean()) {
                return error(command, ErrorCode.MALFORMED, "'on' must be true or false, was " + on);
            }
            action = new ActuatorCommand.SetOn(on.booleanValue());
        } else {
            if (!duty.isIntegralNumber()) {
                return error(command, ErrorCode.MALFORMED, "'duty' must be a whole number of percent, was " + duty);
            }
            if (!duty.canConvertToInt()) {
                return error(command, ErrorCode.OUT_OF_RANGE, "'duty' must be 0..100 %, was " + duty);
            }
            action = new ActuatorCommand.SetDutyCycle(duty.intValue());
        }
        try {
            ActuatorState state = outputs.command(actuator, action);
            limitedLog.info("set-" + actuator, lastArrival, "{}: cmd/set {} {} -> on={} duty={}%", id, actuator, action,
                    state.on(), state.dutyCyclePercent());
            return new CommandReply.Ok(id, command, List.of(status(state)));
        } catch (CommandRejectedException e) {
            return error(command, code(e.reason()), e.getMessage());
        }
    }

    private CommandReply get() {
        return new CommandReply.Ok(id, CommandNames.GET, outputs.states().stream().map(CommandHandler::status)
                .toList());
    }

    /** A body that names a device ({@code "id"}) must name this one: a command meant for another is refused. */
    private CommandReply otherDevice(String command, JsonNode body) {
        JsonNode named = body.get("id");
        if (named == null || (named.isTextual() && named.asText().equals(id))) {
            return null;
        }
        return error(command, ErrorCode.MALFORMED, "'id' names another device (" + abbreviate(named.toString())
                + "); this is " + id);
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }

    private CommandReply error(String command, ErrorCode code, String message) {
        rejected.incrementAndGet();
        // a remote party causes these: one line per cause a minute, at the arrival time of the request at hand
        limitedLog.info("refused-" + code, lastArrival, "{}: command '{}' refused: {} ({})", id, command, code,
                message);
        return new CommandReply.Error(id, command, code, message);
    }

    static ErrorCode code(CommandRejectedException.Reason reason) {
        return switch (reason) {
            case UNKNOWN_ACTUATOR -> ErrorCode.UNKNOWN_ACTUATOR;
            case NOT_SUPPORTED -> ErrorCode.NOT_SUPPORTED;
            case OUT_OF_RANGE -> ErrorCode.OUT_OF_RANGE;
            case UNAVAILABLE -> ErrorCode.UNAVAILABLE;
            case FAILED -> ErrorCode.FAILED;
        };
    }

    private static CommandReply.ActuatorStatus status(ActuatorState state) {
        return new CommandReply.ActuatorStatus(state.name(), state.kind(), state.on(), state.dutyCyclePercent());
    }

    private static String commandName(String topic) {
        int slash = topic.lastIndexOf('/');
        return slash < 0 ? topic : topic.substring(slash + 1);
    }

    /** The one-shot commands this agent can carry out, for its birth certificate. */
    List<String> oneShots(List<dev.edgekit.hardware.ActuatorState> outputStates) {
        return oneShots.available(outputStates);
    }

    long ok() {
        return ok.get();
    }

    long rejected() {
        return rejected.get();
    }

    long unanswerable() {
        return unanswerable.get();
    }

    /** Requests answered {@code busy} because they were over the command rate limit. */
    long busy() {
        return busy.get();
    }

    /** Replies that were not sent or not delivered (over both limits, or refused by the session). */
    long undelivered() {
        return undelivered.get();
    }

    /** Requests refused because their response topic is outside this device's reply space. */
    long misdirected() {
        return misdirected.get();
    }
}
