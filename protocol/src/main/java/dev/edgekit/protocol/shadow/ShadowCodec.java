package dev.edgekit.protocol.shadow;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JSON for shadow documents. Decoding is bounded before parsing (size) and while parsing (depth), then checked
 * against {@link ShadowLimits} and against the topic's device, so a document for one device cannot be replayed on
 * another's topic. Thread-safe.
 */
public final class ShadowCodec {
    private final ObjectMapper mapper;

    public ShadowCodec() {
        JsonMapper json = JsonMapper.builder(dev.edgekit.protocol.message.Codec.sharedBufferFactory()).build();
        json.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(ShadowLimits.MAX_DEPTH + 2).maxStringLength(ShadowLimits.MAX_DOCUMENT_BYTES).build());
        this.mapper = json;
    }

    public ObjectNode emptyState() {
        return mapper.createObjectNode();
    }

    /** Parses an operator's state argument (e.g. from the command line) and checks it against the limits. */
    public ObjectNode parseState(String json) throws ShadowException {
        JsonNode node;
        try {
            node = mapper.readTree(json);
        } catch (IOException e) {
            throw new ShadowException("state: not valid JSON (" + e.getClass().getSimpleName() + ")");
        }
        ShadowLimits.requireValidState(node);
        return (ObjectNode) node;
    }

    public byte[] encode(Desired d) {
        ObjectNode body = mapper.createObjectNode();
        body.put("device", d.device()).put("version", d.version()).put("hlc", d.hlc()).put("writer", d.writer());
        body.set("state", d.state());
        return bytes(body);
    }

    public byte[] encode(Reported r) {
        ObjectNode body = mapper.createObjectNode();
        body.put("device", r.device()).put("desiredVersion", r.desiredVersion()).put("hlc", r.hlc());
        body.set("state", r.state());
        ObjectNode refused = body.putObject("refused");
        r.refused().forEach(refused::put);
        return bytes(body);
    }

    public byte[] encode(UpdateRequest u) {
        ObjectNode body = mapper.createObjectNode();
        body.put("expectedVersion", u.expectedVersion());
        body.set("state", u.state());
        return bytes(body);
    }

    public byte[] encode(UpdateResult result) {
        ObjectNode body = mapper.createObjectNode();
        switch (result) {
            case UpdateResult.Accepted a -> body.put("result", "ok").put("version", a.version());
            case UpdateResult.VersionConflict c -> body.put("result", "error").put("error", "version-conflict")
                    .put("expectedVersion", c.expectedVersion()).put("currentVersion", c.currentVersion());
            case UpdateResult.Invalid i -> body.put("result", "error").put("error", "invalid").put("reason", i.reason());
        }
        return bytes(body);
    }

    public Desired decodeDesired(String device, byte[] payload) throws ShadowException {
        JsonNode body = parse(payload);
        requireDevice(device, body);
        long version = version(body, "version");
        ObjectNode state = state(body);
        return new Desired(device, version, text(body, "hlc"), text(body, "writer"), state);
    }

    public Reported decodeReported(String device, byte[] payload) throws ShadowException {
        JsonNode body = parse(payload);
        requireDevice(device, body);
        long version = version(body, "desiredVersion");
        ObjectNode state = state(body);
        Map<String, String> refused = new LinkedHashMap<>();
        JsonNode r = body.path("refused");
        if (!r.isMissingNode() && !r.isObject()) {
            throw new ShadowException("refused: must be an object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = r.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (refused.size() >= ShadowLimits.MAX_KEYS) {
                throw new ShadowException("refused: more than " + ShadowLimits.MAX_KEYS + " keys");
            }
            refused.put(e.getKey(), e.getValue().asText());
        }
        return new Reported(device, version, text(body, "hlc"), state, refused);
    }

    public UpdateRequest decodeUpdate(byte[] payload) throws ShadowException {
        JsonNode body = parse(payload);
        return new UpdateRequest(version(body, "expectedVersion"), state(body));
    }

    public UpdateResult decodeResult(byte[] payload) throws ShadowException {
        JsonNode body = parse(payload);
        return switch (body.path("result").asText()) {
            case "ok" -> new UpdateResult.Accepted(version(body, "version"));
            case "error" -> switch (body.path("error").asText()) {
                case "version-conflict" -> new UpdateResult.VersionConflict(
                        version(body, "expectedVersion"), version(body, "currentVersion"));
                case "invalid" -> new UpdateResult.Invalid(text(body, "reason"));
                default -> throw new ShadowException("error: unknown kind '" + body.path("error").asText() + "'");
            };
            default -> throw new ShadowException("result: must be ok or error");
        };
    }

    private JsonNode parse(byte[] payload) throws ShadowException {
        if (payload.length > ShadowLimits.MAX_DOCUMENT_BYTES) {
            throw new ShadowException("document: " + payload.length + " bytes, at most " + ShadowLimits.MAX_DOCUMENT_BYTES);
        }
        try {
            JsonNode body = mapper.readTree(payload);
            if (body == null || !body.isObject()) {
                throw new ShadowException("document: must be a JSON object");
            }
            return body;
        } catch (IOException e) {
            throw new ShadowException("document: not valid JSON within the limits (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static void requireDevice(String device, JsonNode body) throws ShadowException {
        if (!device.equals(body.path("device").asText())) {
            throw new ShadowException("device: '" + body.path("device").asText() + "' differs from topic device '" + device + "'");
        }
    }

    private static long version(JsonNode body, String field) throws ShadowException {
        JsonNode v = body.get(field);
        if (v == null || !v.canConvertToExactIntegral() || !v.canConvertToLong()) {
            throw new ShadowException(field + ": must be an integer");
        }
        ShadowLimits.requireValidVersion(field, v.longValue());
        return v.longValue();
    }

    private static ObjectNode state(JsonNode body) throws ShadowException {
        JsonNode state = body.get("state");
        ShadowLimits.requireValidState(state);
        return (ObjectNode) state;
    }

    private static String text(JsonNode body, String field) throws ShadowException {
        String t = body.path(field).asText("");
        if (t.length() > ShadowLimits.MAX_STRING_CHARS) {
            throw new ShadowException(field + ": longer than " + ShadowLimits.MAX_STRING_CHARS);
        }
        return t;
    }

    private byte[] bytes(ObjectNode body) {
        try {
            return mapper.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode shadow document", e);
        }
    }
}
