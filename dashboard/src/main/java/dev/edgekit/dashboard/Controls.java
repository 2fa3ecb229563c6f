package dev.edgekit.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgekit.protocol.message.Capability;
import dev.edgekit.protocol.message.Codec;
import dev.edgekit.protocol.message.CommandNames;
import dev.edgekit.protocol.message.CommandReply;
import dev.edgekit.protocol.message.SetRequest;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.protocol.mqtt.Outgoing;
import dev.edgekit.protocol.topic.Ids;
import dev.edgekit.protocol.topic.Topics;
import dev.edgekit.ubiquitous.registry.Registry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Output controls and actions: a browser's {@code {"site","id","actuator","on"|"duty"}} becomes the documented MQTT 5
 * request on {@code …/{device}/cmd/set} ({@link SetRequest}), its {@code {"site","id","command":"identify"}} a one-shot
 * command ({@link #ACTIONS}) with body {@code {"v":1}}; answered on {@code …/{device}/reply/{replyLevel}} (what the
 * site ACL lets a device write and an operator read), and the device's typed {@link CommandReply} goes back as JSON.
 * Checked before anything is sent: known device, an actuator or command its birth certificate lists, duty 0..100.
 */
final class Controls {
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final MqttSession session;
    private final Registry registry;
    private final String replyLevel;
    private final Codec codec = new Codec(SetRequest.MAX_PAYLOAD_BYTES);
    private final ObjectMapper json;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    Controls(MqttSession session, Registry registry, String replyLevel, ObjectMapper json) {
        this.session = session;
        this.registry = registry;
        this.replyLevel = Ids.require(replyLevel, "reply level");
        this.json = json;
    }

    /** The one-shot commands the device page offers, when the device's birth lists them. */
    static final java.util.List<String> ACTIONS = java.util.List.of(CommandNames.PING, CommandNames.IDENTIFY,
            CommandNames.SYNC, CommandNames.RESTART);
    private static final byte[] ACTION_BODY = "{\"v\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    /** A checked request: {@code command} on the device, with its encoded body. */
    record Request(String site, String id, String command, byte[] body) {
    }

    /** Parses and checks a control request; throws {@link IllegalArgumentException} naming the bad field. */
    Request parse(JsonNode body) {
        String site = text(body, "site");
        String id = text(body, "id");
        if (!Ids.isValid(site) || !Ids.isValid(id)) {
            throw new IllegalArgumentException("site/id: not valid ids");
        }
        var device = registry.byId(site, id).orElseThrow(() -> new IllegalArgumentException("id: no such device"));
        if (body.has("command")) {
            String command = text(body, "command");
            if (!ACTIONS.contains(command)) {
                throw new IllegalArgumentException("command: one of " + ACTIONS);
            }
            if (device.birth() == null || device.birth().capabilities().stream().noneMatch(
                    c -> c.kind() == Capability.Kind.COMMAND && c.name().equals(command))) {
                throw new IllegalArgumentException("command: the device does not offer '" + command + "'");
            }
            return new Request(site, id, command, ACTION_BODY);
        }
        String actuator = text(body, "actuator");
        if (device.birth() == null || device.birth().capabilities().stream().noneMatch(
                c -> c.kind() == Capability.Kind.ACTUATOR && c.name().equals(actuator))) {
            throw new IllegalArgumentException("actuator: the device has no actuator '" + Timeline.clip(actuator, 64)
                    + "'");
        }
        JsonNode on = body.get("on");
        JsonNode duty = body.get("duty");
        if ((on == null) == (duty == null)) {
            throw new IllegalArgumentException("on/duty: give exactly one");
        }
        if (on != null && !on.isBoolean()) {
            throw new IllegalArgumentException("on: must be true or false");
        }
        if (duty != null && (!duty.isInt() || duty.intValue() < 0 || duty.intValue() > 100)) {
            throw new IllegalArgumentException("duty: must be a whole number 0..100");
        }
        SetRequest set = on != null ? SetRequest.on(actuator, on.booleanValue())
                : SetRequest.duty(actuator, duty.intValue());
        return new Request(site, id, SetRequest.COMMAND, codec.encodeRecord(set));
    }

    private static String text(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || !n.isTextual() || n.asText().length() > 64) {
            throw new IllegalArgumentException(field + ": missing or not a short string");
        }
        return n.asText();
    }

    /** Sends the request; completes with {@code {"reply": …}} or {@code {"error": "…"}}. */
    CompletableFuture<ObjectNode> send(Request r) {
        sent.incrementAndGet();
        String topic = Topics.command(r.site(), r.id(), r.command()).topic();
        String responseTopic = Topics.device(r.site(), r.id()) + "/reply/" + replyLevel;
        return session.request(Outgoing.of(topic, r.body(), 1), responseTopic, TIMEOUT)
                .thenApply(in -> {
                    ObjectNode out = json.createObjectNode();
                    try {
                        CommandReply reply = codec.decode(CommandReply.class, in.payload());
                        out.set("reply", json.valueToTree(reply));
                        out.put("status", reply instanceof CommandReply.Ok ? "ok" : "error");
                    } catch (dev.edgekit.protocol.message.MalformedMessageException e) {
                        out.put("error", "the device's reply is malformed: " + e.getMessage());
                    }
                    return out;
                }).exceptionally(e -> {
                    refused.incrementAndGet();
                    Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                            ? e.getCause() : e;
                    return json.createObjectNode().put("error", cause instanceof java.util.concurrent.TimeoutException
                            ? "no reply within " + TIMEOUT.toSeconds() + " s" : String.valueOf(cause.getMessage()));
                });
    }

    long sent() {
        return sent.get();
    }
}
