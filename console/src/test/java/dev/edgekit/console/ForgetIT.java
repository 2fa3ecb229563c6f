package dev.edgekit.console;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgekit.protocol.message.Birth;
import dev.edgekit.protocol.message.Codec;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.protocol.mqtt.Outgoing;
import dev.edgekit.protocol.topic.Topics;
import dev.edgekit.testkit.BrokerExtension;
import dev.edgekit.testkit.Closer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A retained birth of a device that never heartbeats is listed as silent, and {@code --forget} clears it. */
@Timeout(60)
class ForgetIT {
    @RegisterExtension
    static final BrokerExtension broker = BrokerExtension.mosquitto();

    @RegisterExtension
    final Closer cleanup = new Closer();

    private record Run(int exit, String out) {
    }

    private Run devices(String... args) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(captured, true, UTF_8));
        try {
            String[] all = new String[args.length + 3];
            all[0] = "devices";
            all[1] = "--broker";
            all[2] = broker.uri();
            System.arraycopy(args, 0, all, 3, args.length);
            return new Run(EdgekitCommand.commandLine().execute(all), captured.toString(UTF_8));
        } finally {
            System.setOut(original);
        }
    }

    @Test
    void aBornButSilentDeviceIsListedSilentNotOnlineAndForgetClearsItsRetainedState() throws Exception {
        MqttSession vandal = MqttSession.builder().server(broker.uri()).clientId("forget-vandal").build();
        cleanup.add(vandal);
        vandal.connect().get(10, TimeUnit.SECONDS);
        Birth ghost = new Birth("ghost", "Ghost", "lab1", new Birth.Board("simulated", null), List.of(), "test",
                new Birth.Network(null, null, null), null, Instant.now(), 1, List.of());
        vandal.publish(Outgoing.retained(Topics.state("lab1", "ghost").topic(), new Codec().encode(ghost), 1))
                .get(5, TimeUnit.SECONDS);

        Run listed = devices("--site", "lab1", "--settle", "1s", "--json");
        JsonNode devices = new ObjectMapper().readTree(listed.out());
        assertThat(devices).singleElement().satisfies(d -> assertThat(d.get("status").asText()).isEqualTo("silent"));
        assertThat(devices("--site", "lab1", "--settle", "1s", "--query", "status=online").out())
                .contains("0 devices");

        Run forgot = devices("--site", "lab1", "--forget", "ghost");
        assertThat(forgot.exit()).isZero();
        assertThat(forgot.out()).contains("forgot lab1/ghost");
        assertThat(devices("--site", "lab1", "--settle", "1s").out()).contains("0 devices");
    }

    @Test
    void forgetWithoutASiteOrWithABadIdIsAUsageErrorBeforeAnythingIsSent() {
        assertThat(devices("--forget", "ghost").exit()).isEqualTo(2);
        assertThat(devices("--site", "lab1", "--forget", "NOT VALID").exit()).isEqualTo(2);
    }
}
