package dev.edgekit.protocol.message;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The reply to a command ({@code …/{device}/cmd/{name}}, an MQTT 5 request), sent on the request's response topic with
 * its correlation data: {@code {"v":1,"status":"ok",…}} or {@code {"v":1,"status":"error","error":"out-of-range",…}}.
 * Encode with {@link Codec#encodeRecord}, decode with {@code codec.decode(CommandReply.class, payload)}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "status")
@JsonSubTypes({@JsonSubTypes.Type(value = CommandReply.Ok.class, name = "ok"),
        @JsonSubTypes.Type(value = CommandReply.Error.class, name = "error")})
public sealed interface CommandReply permits CommandReply.Ok, CommandReply.Error {
    /** The replying device. */
    String id();

    /** The command replied to, the last level of its topic. */
    String command();

    /**
     * Done. {@code actuators} is the state of the actuators concerned after the command; {@code detail} what a one-shot
     * command has to say ({@code ping}: uptime, session, the device's time), as text people read, keys in camel case.
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record Ok(String id, String command, List<ActuatorStatus> actuators, Map<String, String> detail)
            implements CommandReply {
        /** At most this many detail entries, each value at most {@link #MAX_DETAIL_CHARS}: a reply is small. */
        public static final int MAX_DETAIL_ENTRIES = 16;
        public static final int MAX_DETAIL_CHARS = 200;

        public Ok {
            Fields.requireId(id);
            Fields.requireName(command, "command");
            actuators = actuators == null ? List.of() : List.copyOf(actuators);
            detail = detail == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(detail));
            if (detail.size() > MAX_DETAIL_ENTRIES) {
                throw new IllegalArgumentException("detail: more than " + MAX_DETAIL_ENTRIES + " entries");
            }
            for (Map.Entry<String, String> entry : detail.entrySet()) {
                Fields.requireName(entry.getKey(), "detail key");
                if (entry.getValue() == null || entry.getValue().length() > MAX_DETAIL_CHARS) {
                    throw new IllegalArgumentException("detail." + entry.getKey() + ": missing or longer than "
                            + MAX_DETAIL_CHARS + " characters");
                }
            }
        }

        /** The state of the actuators concerned, nothing else to say. */
        public Ok(String id, String command, List<ActuatorStatus> actuators) {
            this(id, command, actuators, Map.of());
        }
    }

    /** Refused or failed; nothing was changed unless {@code error} is {@link ErrorCode#FAILED}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Error(String id, String command, ErrorCode error, String message) implements CommandReply {
        public Error {
            Fields.requireId(id);
            Objects.requireNonNull(command, "command");
            Objects.requireNonNull(error, "error");
        }
    }

    /** An actuator's state: a switch reports duty 0 or 100. */
    record ActuatorStatus(String name, String kind, boolean on, int duty) {
        public ActuatorStatus {
            Fields.requireName(name, "actuator name");
        }
    }

    /** Why a command was not carried out; on the wire in lower-case with hyphens ({@code out-of-range}). */
    enum ErrorCode {
        /** Not JSON, wrong schema version, a missing or mistyped field. */
        MALFORMED,
        /** Larger than the command size limit; refused before parsing. */
        PAYLOAD_TOO_LARGE,
        /** No such command on this device. */
        UNKNOWN_COMMAND,
        /** No actuator of that name on this device. */
        UNKNOWN_ACTUATOR,
        /** The actuator cannot do that (a duty cycle for an LED). */
        NOT_SUPPORTED,
        /** A value outside the actuator's range. */
        OUT_OF_RANGE,
        /** The actuator is configured but could not be opened. */
        UNAVAILABLE,
        /** The hardware failed while carrying it out. */
        FAILED,
        /** The device is over its command rate limit: not carried out, try again later. */
        BUSY,
        /** A restart refused because the agent's configuration no longer loads; the running agent carries on. */
        CONFIG_INVALID;

        @JsonValue
        String wire() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        @JsonCreator
        static ErrorCode fromWire(String wire) {
            for (ErrorCode code : values()) {
                if (code.wire().equals(wire)) {
                    return code;
                }
            }
            throw new IllegalArgumentException("unknown error code '" + wire + "'");
        }
    }
}
