package dev.edgekit.protocol.message;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;
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

    /** Done. {@code actuators} is the state of the actuators concerned after the command. */
    record Ok(String id, String command, List<ActuatorStatus> actuators) implements CommandReply {
        public Ok {
            Fields.requireId(id);
            Fields.requireName(command, "command");
            actuators = actuators == null ? List.of() : List.copyOf(actuators);
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
        BUSY;

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
