package dev.edgekit.protocol.message;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import com.fasterxml.jackson.datatype.jsr310.ser.InstantSerializer;
import dev.edgekit.protocol.topic.DeviceTopic;
import java.io.IOException;
import java.time.Instant;

/**
 * JSON for every {@link Message}: {@code {"v": 1, …fields}}. Decoding never trusts the payload: it checks the size,
 * the schema version, the required fields, and that the body's {@code id} (and channel or event name) matches the
 * topic. Unknown fields are ignored, so newer agents can add fields without breaking older consumers. Thread-safe.
 */
public final class Codec {
    /** The schema version written in {@code v}; a payload with another version is refused. */
    public static final int SCHEMA_VERSION = 1;
    /** Default payload limit: far above any edgekit message, far below what could hurt a small board. */
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 64 * 1024;

    private static final String STATUS = "status";
    private static final String ONLINE = "online";

    private final ObjectMapper mapper;
    private final int maxPayloadBytes;

    public Codec() {
        this(DEFAULT_MAX_PAYLOAD_BYTES);
    }

    public Codec(int maxPayloadBytes) {
        this.maxPayloadBytes = maxPayloadBytes;
        this.mapper = maxPayloadBytes == DEFAULT_MAX_PAYLOAD_BYTES ? SharedMapper.DEFAULT : mapper(maxPayloadBytes);
    }

    /**
     * One mapper for every default codec in the JVM: a mapper is thread-safe once built, and each one introspects
     * every message class again (tens of milliseconds and ~100 KB of caches), which a thousand simulated agents in
     * one JVM paid a thousand times. Nothing configures it after this.
     */
    private static final class SharedMapper {
        static final ObjectMapper DEFAULT = mapper(DEFAULT_MAX_PAYLOAD_BYTES);
    }

    private static ObjectMapper mapper(int maxPayloadBytes) {
        JsonMapper json = JsonMapper.builder(sharedBufferFactory())
                // Instant is the only date type in a message; JavaTimeModule would load ~45 classes for every
                // java.time type into each board agent, these two are the ones it would use
                .addModule(new SimpleModule("edgekit-instant")
                        .addSerializer(Instant.class, InstantSerializer.INSTANCE)
                        .addDeserializer(Instant.class, InstantDeserializer.INSTANT))
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                // {"on":false,"on":true}: two readers could each honour a different one; refuse the ambiguity
                .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        json.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(32).maxStringLength(maxPayloadBytes).build());
        return json;
    }

    /**
     * A factory whose parsers and generators share one pool of buffers. Jackson's default pool is per thread, and an
     * agent's JSON runs on virtual threads (Paho's callbacks, the outbox writer): a thousand simulated agents kept
     * thousands of sets of buffers, one per thread that ever encoded or decoded, for as long as the thread lived.
     */
    public static com.fasterxml.jackson.core.JsonFactory sharedBufferFactory() {
        return com.fasterxml.jackson.core.JsonFactory.builder()
                .recyclerPool(com.fasterxml.jackson.core.util.JsonRecyclerPools.newConcurrentDequePool()).build();
    }

    public byte[] encode(Message message) {
        return versioned(message, message instanceof Birth ? BIRTH_PREFIX : PREFIX); // an Offline has its own status
    }

    private static final byte[] PREFIX = ("{\"v\":" + SCHEMA_VERSION).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    private static final byte[] BIRTH_PREFIX = ("{\"v\":" + SCHEMA_VERSION + ",\"" + STATUS + "\":\"" + ONLINE + "\"")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);

    /**
     * {@code value}'s JSON object with {@code prefix} (the schema version, and a birth's status) as its first members.
     * Jackson writes an object as '{' and then its first member, so the prefix goes in between: one serialisation and
     * no tree, for every message every agent sends.
     */
    private byte[] versioned(Object value, byte[] prefix) {
        byte[] body;
        try {
            body = mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
        }
        if (body.length < 2 || body[0] != '{') {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName() + ": not an object");
        }
        boolean empty = body.length == 2; // {}
        byte[] out = new byte[prefix.length + (empty ? 1 : body.length)];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        if (empty) {
            out[prefix.length] = '}';
        } else {
            out[prefix.length] = ',';
            System.arraycopy(body, 1, out, prefix.length + 1, body.length - 1);
        }
        return out;
    }

    /** Decodes the body of a message received on {@code topic}. */
    public Message decode(DeviceTopic topic, byte[] payload) throws MalformedMessageException {
        JsonNode body = parse(payload);
        Message message = switch (topic.kind()) {
            case STATE -> ONLINE.equals(body.path(STATUS).asText()) ? read(body, Birth.class) : read(body, Offline.class);
            case HEARTBEAT -> read(body, Heartbeat.class);
            case TELEMETRY -> read(body, Telemetry.class);
            case EVENT -> read(body, Event.class);
            case COMMAND -> throw new MalformedMessageException("commands are not device messages: " + topic);
            case OUTPUT, INPUT -> throw new MalformedMessageException("output and input states are not device"
                    + " messages: " + topic);
        };
        if (!message.id().equals(topic.device())) {
            throw new MalformedMessageException("payload id '" + message.id() + "' differs from topic device '"
                    + topic.device() + "'");
        }
        if (message instanceof Telemetry t && !t.channel().equals(topic.name())) {
            throw new MalformedMessageException("channel '" + t.channel() + "' differs from topic " + topic);
        }
        if (message instanceof Event e && !e.name().equals(topic.name())) {
            throw new MalformedMessageException("event name '" + e.name() + "' differs from topic " + topic);
        }
        return message;
    }

    /** Decodes a body of a known type, for messages outside the device tree ($time, $election, commands). */
    public <T> T decode(Class<T> type, byte[] payload) throws MalformedMessageException {
        return read(parse(payload), type);
    }

    /** Encodes any record with the schema version, for messages outside the device tree. */
    public byte[] encodeRecord(Record value) {
        return versioned(value, PREFIX);
    }

    private JsonNode parse(byte[] payload) throws MalformedMessageException {
        if (payload == null || payload.length == 0) {
            throw new MalformedMessageException("empty payload");
        }
        if (payload.length > maxPayloadBytes) {
            throw new MalformedMessageException("oversize payload: " + payload.length + " bytes (limit "
                    + maxPayloadBytes + ")");
        }
        JsonNode body;
        try {
            body = mapper.readTree(payload);
        } catch (IOException e) {
            throw new MalformedMessageException("not JSON: " + firstLine(e.getMessage()), e);
        }
        if (body == null || !body.isObject()) {
            throw new MalformedMessageException("not a JSON object");
        }
        JsonNode v = body.get("v");
        if (v == null) {
            throw new MalformedMessageException("missing schema version 'v'");
        }
        if (!v.isInt()) {
            throw new MalformedMessageException("schema version 'v' must be a number, was " + abbreviate(v.toString()));
        }
        if (v.intValue() != SCHEMA_VERSION) {
            throw new MalformedMessageException("unsupported schema version v=" + v.intValue() + " (this is v"
                    + SCHEMA_VERSION + ")");
        }
        return body;
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }

    private <T> T read(JsonNode body, Class<T> type) throws MalformedMessageException {
        try {
            return mapper.treeToValue(body, type);
        } catch (JsonMappingException e) {
            String field = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName()
                    : "[" + r.getIndex() + "]").reduce((a, b) -> a + "." + b).orElse("");
            Throwable cause = e;
            while (cause.getCause() != null && !(cause instanceof IllegalArgumentException)) {
                cause = cause.getCause();
            }
            throw new MalformedMessageException("invalid " + type.getSimpleName() + (field.isEmpty() ? ": "
                    : " field '" + field + "': ") + firstLine(cause.getMessage()), e);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            Throwable cause = e;
            while (cause.getCause() != null && !(cause instanceof IllegalArgumentException)) {
                cause = cause.getCause();
            }
            throw new MalformedMessageException("invalid " + type.getSimpleName() + ": "
                    + firstLine(cause.getMessage()), e);
        }
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int newline = text.indexOf('\n');
        String line = newline < 0 ? text : text.substring(0, newline);
        int hint = line.indexOf(" (set DeserializationConfig"); // Jackson's advice to us, not to the sender
        return hint < 0 ? line : line.substring(0, hint);
    }
}
