package dev.edgekit.console.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.edgekit.agent.config.AgentConfig;
import dev.edgekit.agent.config.HardwareConfig;
import dev.edgekit.agent.runtime.Agent;
import dev.edgekit.agent.runtime.AgentEnvironment;
import dev.edgekit.hardware.board.Boards;
import dev.edgekit.hardware.board.SimulatedBoard;
import dev.edgekit.hardware.board.SimulationSettings;
import dev.edgekit.hardware.spec.BoardSpec;
import dev.edgekit.hardware.spec.Frequency;
import dev.edgekit.hardware.spec.PwmOutputSpec;
import dev.edgekit.protocol.clock.HybridLogicalClock;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.protocol.shadow.ShadowCodec;
import dev.edgekit.protocol.shadow.UpdateResult;
import dev.edgekit.testkit.BrokerExtension;
import dev.edgekit.testkit.FaultProxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A device following its shadow through faults on a persistent Mosquitto: cut off from the broker while an operator
 * writes, killed between applying a version and the broker's acknowledgement of its report, and a broker killed with
 * -9 and restarted; it converges on the last desired state each time and never reports what it did not do.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ShadowDeviceFaultsIT {
    private static final String SITE = "shadow-faults";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final BoardSpec SPEC = BoardSpec.of(new PwmOutputSpec("fan", 18, Frequency.ofKilohertz(25)));

    @RegisterExtension
    final BrokerExtension broker = BrokerExtension.mosquitto("mosquitto/persistent.conf", Map.of());

    private final ShadowCodec codec = new ShadowCodec();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final String id = "sf-" + Long.toHexString(System.nanoTime());
    private ShadowClient operator;
    private SimulatedBoard board;
    private FaultProxy proxy;
    private Agent agent;

    private MqttSession session(String name) throws Exception {
        MqttSession s = MqttSession.builder().server(broker.uri()).clientId(id + "-" + name)
                .reconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(1)).build();
        closing.add(s);
        s.connect().get(5, TimeUnit.SECONDS);
        return s;
    }

    @BeforeEach
    void start() throws Exception {
        new ShadowKeeper(session("keeper"), SITE, new HybridLogicalClock(Clock.systemUTC())).start()
                .get(5, TimeUnit.SECONDS);
        operator = new ShadowClient(session("operator"), SITE, "alice");
        proxy = FaultProxy.start("127.0.0.1", broker.broker().port());
        closing.add(proxy);
        agent = startAgent();
    }

    /** An agent on a new board (outputs at rest), from the test's state folder, connected through the proxy. */
    private Agent startAgent() throws Exception {
        Clock clock = Clock.systemUTC();
        board = Boards.openSimulated(SPEC, clock, scheduler, SimulationSettings.seeded(2));
        AgentConfig config = new AgentConfig(SITE, id, null, AgentConfig.BrokerConfig.of("tcp://127.0.0.1:"
                + proxy.port()), Duration.ofSeconds(1), AgentConfig.BoardKind.SIMULATED, HardwareConfig.of(SPEC),
                Path.of("target", "it-state", id)).withShadow(new AgentConfig.ShadowSettings(true));
        Agent agent = Agent.create(config, AgentEnvironment.of(clock, scheduler, new SplittableRandom(1), "it"),
                board);
        closing.add(0, () -> agent.stop(Duration.ofSeconds(2)));
        agent.start().get(10, TimeUnit.SECONDS);
        return agent;
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        scheduler.shutdownNow();
    }

    private void set(int fan) throws Exception {
        await().atMost(WAIT).ignoreExceptions().until(() -> {
            long version = operator.desired(id, Duration.ofSeconds(2)).version();
            return operator.update(id, version, codec.parseState("{\"fan\":" + fan + "}"), Duration.ofSeconds(2))
                    .get() instanceof UpdateResult.Accepted;
        });
    }

    private void awaitFan(int fan) {
        await().atMost(WAIT).ignoreExceptions().until(() -> board.pwm("fan").dutyCyclePercent() == fan
                && operator.reported(id, Duration.ofSeconds(2)).state().get("fan").asInt() == fan);
    }

    @Test
    void aDeviceCutOffWhileAnOperatorWritesConvergesWhenItIsBack() throws Exception {
        set(20);
        awaitFan(20);

        proxy.cut();
        set(60);
        set(70); // two writes while it cannot hear them
        Thread.sleep(1_000); // the device stays where it was while cut off
        assertThat(board.pwm("fan").dutyCyclePercent()).isEqualTo(20);
        proxy.restore();

        awaitFan(70);
    }

    @Test
    void aBrokerKilledAndRestartedKeepsTheShadowAndTheDeviceFollowsTheNextWrite() throws Exception {
        set(30);
        awaitFan(30);

        broker.broker().kill();
        broker.broker().restart(); // persistent.conf: the retained documents survive

        set(80);
        awaitFan(80);
        assertThat(operator.desired(id, WAIT).version()).isEqualTo(2);
    }

    @Test
    void aDeviceKilledMidApplyNeverClaimsTheVersionAndAppliesItAgainAfterARestart() throws Exception {
        set(20);
        awaitFan(20);
        Path checkpoint = Path.of("target", "it-state", id, "shadow-version");
        await().atMost(WAIT).until(() -> java.nio.file.Files.readString(checkpoint).equals("1"));

        proxy.drop(FaultProxy.Direction.UPSTREAM); // desired still reaches the device; its report never leaves
        set(50);
        await().atMost(WAIT).until(() -> board.pwm("fan").dutyCyclePercent() == 50); // applied, report unacknowledged
        agent.crash(); // no clean close, no offline state

        await().during(Duration.ofMillis(500)).atMost(WAIT).untilAsserted(() -> { // never claims version 2
            var reported = operator.reported(id, Duration.ofSeconds(2));
            assertThat(reported.desiredVersion()).isEqualTo(1);
            assertThat(reported.state().get("fan").asInt()).isEqualTo(20);
        });
        assertThat(java.nio.file.Files.readString(checkpoint)).isEqualTo("1");

        proxy.resume();
        agent = startAgent(); // a new board: the fan is at rest again

        awaitFan(50);
        await().atMost(WAIT).until(() -> operator.reported(id, Duration.ofSeconds(2)).desiredVersion() == 2
                && java.nio.file.Files.readString(checkpoint).equals("2"));
    }
}
