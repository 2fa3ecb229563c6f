package dev.edgekit.protocol.message;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * The body of {@code …/{device}/cmd/set}: switch an actuator ({@code {"v":1,"actuator":"led","on":true}}) or set a PWM
 * output's duty cycle in whole percent ({@code {"v":1,"actuator":"fan","duty":40}}). Exactly one of {@code on} and
 * {@code duty}. Encode with {@link Codec#encodeRecord}; the agent validates the body field by field before it acts.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SetRequest(String actuator, Boolean on, Integer duty) {
    /** The command name, the last level of {@code cmd/set}. */
    public static final String COMMAND = "set";
    /** The command that only reports every actuator's state, {@code cmd/get} with body {@code {"v":1}}. */
    public static final String GET_COMMAND = "get";
    /** Commands are small; anything larger is refused before it is parsed. */
    public static final int MAX_PAYLOAD_BYTES = 4096;

    public SetRequest {
        Objects.requireNonNull(actuator, "actuator");
        if ((on == null) == (duty == null)) {
            throw new IllegalArgumentException("a set request carries exactly one of 'on' and 'duty'");
        }
    }

    public static SetRequest on(String actuator, boolean on) {
        return new SetRequest(actuator, on, null);
    }

    public static SetRequest duty(String actuator, int percent) {
        return new SetRequest(actuator, null, percent);
    }
}
