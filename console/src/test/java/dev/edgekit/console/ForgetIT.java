package dev.edgekit.console;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.edgekit.protocol.message.Birth;
import dev.edgekit.protocol.message.Capability;
import dev.edgekit.protocol.message.Codec;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.protocol.mqtt.Outgoing;
import dev.edgekit.protocol.topic.Topics;
import dev.edgekit.testkit.BrokerExtension;
import java.time.Duration;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code devices --forget ID} clears a stale (or spoofed) retained birth, so the device is no longer listed. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ForgetIT {
    @RegisterExtension
    final BrokerExtension broker = BrokerExtension.mosquitto();

    private String run(String... args) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(captured, true, UTF_8));
        try {
            assertThat(EdgekitCommand.commandLine().execute(args)).isZero();
        } finally {
            System.setOut(original);
        }
        return captured.toString(UTF_8);
    }

    @Test
    void aRetainedBirthOfADeviceThatNeverExistedIsForgottenWithAConfirmationLine() throws Exception {
        Birth ghost = new Birth("ghost-1", "Ghost", "lab1", new Birth.Board("simulated", null),
                List.of(Capability.sensor("temperature", "°C")), "test", new Birth.Network(null, null, null), null,
                Instant.parse("2026-12-03T10:00:00Z"), 1, List.of());
        try (MqttSession vandal = MqttSession.builder().server(broker.uri()).clientId("forget-vandal-" + System.nanoTime())
                .build()) {
            vandal.connect().get(10, TimeUnit.SECONDS);
            vandal.publish(Outgoing.retained(Topics.state("lab1", "ghost-1").topic(), new Codec().encode(ghost), 1))
                    .get(10, TimeUnit.SECONDS);
            vandal.publish(Outgoing.retained(Topics.output("lab1", "ghost-1", "fan").topic(),
                    "{\"v\":1,\"on\":true,\"duty\":40}".getBytes(UTF_8), 1)).get(10, TimeUnit.SECONDS);
            vandal.publish(Outgoing.retained("homeassistant/device/ghost-1/config", "{\"device\":{}}".getBytes(UTF_8),
                    1)).get(10, TimeUnit.SECONDS);
        }
        assertThat(run("devices", "--broker", broker.uri(), "--settle", "1s")).contains("ghost-1", "silent")
                .doesNotContain("online");
        assertThat(run("devices", "--broker", broker.uri(), "--settle", "1s", "--query", "status=online"))
                .doesNotContain("ghost-1");

        String confirmation = run("devices", "--broker", broker.uri(), "--site", "lab1", "--forget", "ghost-1");

        assertThat(confirmation).contains("forgot lab1/ghost-1", "edgekit/v1/lab1/ghost-1/state",
                "homeassistant/device/ghost-1/config", "1 other retained message");
        try (MqttSession late = MqttSession.builder().server(broker.uri()).clientId("forget-late-" + System.nanoTime())
                .build()) {
            List<String> retained = new java.util.concurrent.CopyOnWriteArrayList<>();
            late.subscribe("#", 1, in -> retained.add(in.topic())).granted();
            late.connect().get(10, TimeUnit.SECONDS);
            // retained messages come right after the grant: none of the forgotten device's, for as long as we look
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                    .until(() -> retained.stream().noneMatch(t -> t.contains("ghost-1")));
        }
        assertThat(run("devices", "--broker", broker.uri(), "--settle", "1s")).doesNotContain("ghost-1")
                .contains("0 devices");
    }

    @Test
    void forgetWithoutASiteFailsWithOneLineNamingTheFlag() {
        assertThat(EdgekitCommand.commandLine().execute("devices", "--broker", broker.uri(), "--forget", "ghost-1"))
                .isNotZero();
    }
}
