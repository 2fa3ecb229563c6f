package dev.edgekit.console.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.protocol.shadow.ShadowCodec;
import dev.edgekit.protocol.shadow.UpdateResult;
import dev.edgekit.testkit.BrokerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Broker kill -9 and restart with persistence: the versions survive and the keeper still refuses stale writes. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShadowBrokerRestartIT {
    private static final String SITE = "shadow-restart-it";
    private static final Duration WAIT = Duration.ofSeconds(5);

    @RegisterExtension
    final BrokerExtension broker = BrokerExtension.mosquitto("mosquitto/persistent.conf", Map.of());

    private final List<MqttSession> sessions = new ArrayList<>();
    private final ShadowCodec codec = new ShadowCodec();

    @AfterEach
    void close() {
        sessions.forEach(MqttSession::close);
    }

    private MqttSession session(String name) throws Exception {
        MqttSession s = MqttSession.builder().server(broker.uri())
                .clientId("shadow-restart-it-" + ProcessHandle.current().pid() + "-" + name).build();
        sessions.add(s);
        s.connect().get(5, TimeUnit.SECONDS);
        return s;
    }

    @Test
    void afterKill9AndRestartTheVersionIsKeptAndAStaleWriteIsStillRefused() throws Exception {
        new ShadowKeeper(session("keeper"), SITE, () -> "0").start().get(5, TimeUnit.SECONDS);
        MqttSession opsSession = session("ops");
        ShadowClient ops = new ShadowClient(opsSession, SITE, "ops");
        assertThat(ops.update("pi-1", 0, codec.parseState("{\"relay\":true}"), WAIT).get())
                .isEqualTo(new UpdateResult.Accepted(1));
        Thread.sleep(1_500); // persistent.conf autosaves every second

        broker.broker().kill();
        broker.broker().restart();
        await().atMost(Duration.ofSeconds(20)).until(() -> sessions.stream().allMatch(MqttSession::isConnected));

        assertThat(ops.desired("pi-1", WAIT).version()).isEqualTo(1);
        assertThat(ops.update("pi-1", 0, codec.parseState("{\"relay\":false}"), WAIT).get())
                .isEqualTo(new UpdateResult.VersionConflict(0, 1));
        assertThat(ops.update("pi-1", 1, codec.parseState("{\"relay\":false}"), WAIT).get())
                .isEqualTo(new UpdateResult.Accepted(2));
    }
}
