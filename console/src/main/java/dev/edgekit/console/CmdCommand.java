package dev.edgekit.console;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.edgekit.agent.config.Durations;
import dev.edgekit.protocol.message.Codec;
import dev.edgekit.protocol.message.CommandReply;
import dev.edgekit.protocol.message.MalformedMessageException;
import dev.edgekit.protocol.mqtt.Inbound;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.protocol.mqtt.Outgoing;
import dev.edgekit.protocol.topic.Ids;
import dev.edgekit.protocol.topic.Topics;
import dev.edgekit.protocol.message.CommandNames;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code edgekit cmd DEVICE NAME [JSON]}: one MQTT 5 request to a device's {@code cmd/{name}}, its typed reply
 * printed, and an exit code a script can act on. The response topic is the requester's inbox in the device's reply
 * space, {@code edgekit/v1/{site}/{device}/reply/{requester}}, the only place a device answers to.
 */
@Command(name = "cmd", mixinStandardHelpOptions = true,
        description = {"Sends one command to a device and prints its reply, e.g.",
            "  edgekit cmd --site lab1 pi-01 set '{\"v\":1,\"actuator\":\"fan\",\"duty\":40}'",
            "  edgekit cmd --site lab1 pi-01 get",
            "  edgekit cmd --site lab1 pi-01 ping          (uptime, session, clock; round trip and offset)",
            "  edgekit cmd --site lab1 pi-01 identify '{\"v\":1,\"for\":\"30s\"}'   (blink an LED to find the board)",
            "  edgekit cmd --site lab1 pi-01 sync          (poll the time servers now)",
            "  edgekit cmd --site lab1 pi-01 restart       (offline, agent.yaml read again, a new session)",
            "Exit codes: 0 the device carried it out; 3 the device refused it (the reply's error code is printed);",
            "4 no reply within --timeout; 1 the broker could not be reached; 2 a usage error."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:done", "1:broker unreachable or another failure", "2:usage error",
            "3:the device refused the command", "4:no reply within --timeout"})
final class CmdCommand implements Callable<Integer> {
    static final int REFUSED = 3;
    static final int NO_REPLY = 4;
    /** Commands are small documents; the device refuses larger ones anyway. */
    private static final int MAX_BODY_BYTES = 4096;

    @Mixin
    FleetWatch fleet;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DEVICE", description = "The device id, e.g. pi-01.")
    String device;

    @Parameters(index = "1", paramLabel = "NAME", description = "The command: set, get, ping, identify, sync, restart (the"
            + " device's birth lists those it can carry out).")
    String name;

    @Parameters(index = "2", arity = "0..1", paramLabel = "JSON",
            description = "The command's body (default: {\"v\":1}); '-' reads it from standard input.")
    String body;

    @Option(names = "--timeout", defaultValue = "5s", converter = Flags.PositiveDuration.class,
            description = "How long to wait for the reply (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--json", description = "Print the reply as the device sent it (JSON), nothing else.")
    boolean json;

    /** This host's clock, for the offset a {@code ping} shows. */
    InstantSource clock = Clock.systemUTC();

    @Override
    public Integer call() throws Exception {
        EdgekitCommand.quietLogs();
        String site = fleet.site();
        if ("+".equals(site)) {
            throw new ParameterException(spec.commandLine(), "--site: required: a device id names a device only within"
                    + " its site");
        }
        String topic;
        try {
            Ids.require(site, "--site");
            topic = Topics.command(site, device, name).topic();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        byte[] payload = payload();
        String inbox = Topics.device(site, device) + "/reply/" + requester();
        Inbound reply;
        Instant sent;
        long roundTripNanos;
        try (MqttSession session = fleet.connect("cmd")) {
            try {
                sent = clock.instant();
                long start = System.nanoTime();
                reply = session.request(Outgoing.of(topic, payload, 1), inbox, timeout)
                        .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
                roundTripNanos = System.nanoTime() - start;
            } catch (ExecutionException | TimeoutException e) {
                if (e instanceof TimeoutException || e.getCause() instanceof TimeoutException) {
                    System.err.printf(Locale.ROOT, "edgekit cmd: no reply from %s/%s within %s (is it online? "
                            + "edgekit devices --site %s)%n", site, device, Durations.format(timeout), site);
                    return NO_REPLY;
                }
                throw e;
            }
        }
        if (json) {
            System.out.println(new String(reply.payload(), UTF_8));
        }
        CommandReply decoded;
        try {
            decoded = new Codec().decode(CommandReply.class, reply.payload());
        } catch (MalformedMessageException e) {
            System.err.println("edgekit cmd: the reply is not a command reply: " + e.getMessage());
            return 1;
        }
        return switch (decoded) {
            case CommandReply.Ok ok -> {
                if (!json) {
                    System.out.println("ok: " + ok.command() + (ok.command().equals(CommandNames.PING)
                            ? " in " + millis(roundTripNanos) : "") + describe(ok));
                    if (ok.command().equals(CommandNames.PING)) {
                        offset(ok, sent, roundTripNanos).ifPresent(System.out::println);
                    }
                }
                yield 0;
            }
            case CommandReply.Error error -> {
                if (!json) {
                    System.out.println("refused: " + error.error().name().toLowerCase(Locale.ROOT).replace('_', '-')
                            + ": " + error.message());
                }
                yield REFUSED;
            }
        };
    }

    private byte[] payload() throws java.io.IOException {
        byte[] bytes = body == null ? "{\"v\":1}".getBytes(UTF_8)
                : body.equals("-") ? System.in.readNBytes(MAX_BODY_BYTES + 1) : body.getBytes(UTF_8);
        if (bytes.length > MAX_BODY_BYTES) {
            throw new ParameterException(spec.commandLine(), "JSON: larger than " + MAX_BODY_BYTES + " bytes");
        }
        return bytes;
    }

    /** This process's inbox level: the operator's id when it logs in with one, else the command and the pid. */
    private String requester() {
        String operator = fleet.operatorId();
        String base = operator != null && operator.matches("[a-z0-9][a-z0-9-]{0,40}") ? operator + "-" : "cli-";
        return base + ProcessHandle.current().pid();
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }

    /**
     * The device's clock against this host's, from the time the device put in its reply: the reply was written between
     * sending and receiving, so the offset is known to within half the round trip (Cristian's algorithm).
     */
    private static java.util.Optional<String> offset(CommandReply.Ok ok, Instant sent, long roundTripNanos) {
        try {
            Instant device = Instant.parse(ok.detail().getOrDefault("time", ""));
            Instant midway = sent.plusNanos(roundTripNanos / 2);
            long offsetNanos = Duration.between(midway, device).toNanos();
            return java.util.Optional.of(String.format(Locale.ROOT, "  %-12s %+.1f ms (±%s)", "vs this host",
                    offsetNanos / 1e6, millis(roundTripNanos / 2)));
        } catch (java.time.format.DateTimeParseException | ArithmeticException e) {
            return java.util.Optional.empty(); // a device that sent no usable time: nothing to compare
        }
    }

    private static String describe(CommandReply.Ok ok) {
        StringBuilder out = new StringBuilder();
        ok.detail().forEach((key, value) -> out.append(String.format(Locale.ROOT, "%n  %-12s %s", key, value)));
        for (CommandReply.ActuatorStatus a : ok.actuators()) {
            out.append(String.format(Locale.ROOT, "%n  %-12s %-7s %s", a.name(), a.kind(),
                    a.on() ? (a.kind().equals("pwm") ? "on, duty " + a.duty() + " %" : "on") : "off"));
        }
        return out.toString();
    }
}
