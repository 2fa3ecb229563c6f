package dev.edgekit.protocol.message;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommandReplyTest {
    private final Codec codec = new Codec();

    @Test
    void anOkReplyCarriesItsStatusAndTheActuatorStatesOnTheWire() throws Exception {
        CommandReply ok = new CommandReply.Ok("pi-01", "set", List.of(new CommandReply.ActuatorStatus("fan", "pwm", true, 40)));

        String json = new String(codec.encodeRecord((Record) ok), UTF_8);

        assertThat(json).isEqualTo("{\"v\":1,\"status\":\"ok\",\"id\":\"pi-01\",\"command\":\"set\","
                + "\"actuators\":[{\"name\":\"fan\",\"kind\":\"pwm\",\"on\":true,\"duty\":40}]}");
        assertThat(codec.decode(CommandReply.class, json.getBytes(UTF_8))).isEqualTo(ok);
    }

    @Test
    void anErrorReplyCarriesATypedCodeInLowerCaseWithHyphens() throws Exception {
        CommandReply error = new CommandReply.Error("pi-01", "set", CommandReply.ErrorCode.OUT_OF_RANGE, "fan: 140");

        String json = new String(codec.encodeRecord((Record) error), UTF_8);

        assertThat(json).contains("\"status\":\"error\"", "\"error\":\"out-of-range\"", "\"message\":\"fan: 140\"");
        assertThat(codec.decode(CommandReply.class, json.getBytes(UTF_8))).isEqualTo(error);
    }

    @Test
    void aReplyWithAnUnknownErrorCodeOrStatusIsMalformed() {
        assertThatThrownBy(() -> codec.decode(CommandReply.class,
                "{\"v\":1,\"status\":\"error\",\"id\":\"pi-01\",\"command\":\"set\",\"error\":\"on-fire\"}".getBytes(UTF_8)))
                .isInstanceOf(MalformedMessageException.class);
        assertThatThrownBy(() -> codec.decode(CommandReply.class,
                "{\"v\":1,\"status\":\"maybe\",\"id\":\"pi-01\",\"command\":\"set\"}".getBytes(UTF_8)))
                .isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void aSetRequestHasExactlyOneOfOnAndDuty() {
        assertThat(new String(codec.encodeRecord(SetRequest.duty("fan", 40)), UTF_8))
                .isEqualTo("{\"v\":1,\"actuator\":\"fan\",\"duty\":40}");
        assertThat(new String(codec.encodeRecord(SetRequest.on("status", true)), UTF_8))
                .isEqualTo("{\"v\":1,\"actuator\":\"status\",\"on\":true}");
        assertThatThrownBy(() -> new SetRequest("fan", true, 40)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SetRequest("fan", null, null)).isInstanceOf(IllegalArgumentException.class);
    }
}
