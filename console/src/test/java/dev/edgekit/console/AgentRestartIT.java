package dev.edgekit.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.edgekit.agent.config.AgentConfigLoader;
import dev.edgekit.agent.runtime.Agent;
import dev.edgekit.testkit.BrokerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one-shot commands end to end on a real Mosquitto, sent with {@code edgekit cmd} to the agent as
 * {@code edgekit agent} runs it ({@link AgentRunner}, reading an {@code agent.yaml}): ping, identify, sync on an agent
 * that is no time client, and restart — with the file read again, and refused while the file does not load.
 */
@Timeout(90)
class AgentRestartIT {
    @RegisterExtension
    static final BrokerExtension broker = BrokerExtension.mosquitto();

    @TempDir
    Path dir;

    private final String id = "restart-" + Long.toHexString(System.nanoTime());
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final AtomicReference<Throwable> failed = new AtomicReference<>();
    private Path yaml;
    private AgentRunner runner;
    private Thread running;

    @BeforeEach
    void start() throws Exception {
        yaml = dir.resolve("agent.yaml");
        writeConfig("1s");
        runner = new AgentRunner(() -> new AgentConfigLoader().load(yaml), Clock.systemUTC(), scheduler,
                new SplittableRandom(5), "it", Duration.ofSeconds(20));
        running = Thread.ofPlatform().name("agent-runner").start(() -> {
            try {
                runner.run();
            } catch (Throwable e) {
                failed.set(e);
            }
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> runner.agent() != null && runner.agent().isConnected());
    }

    @AfterEach
    void stop() throws Exception {
        runner.stop();
        running.join(10_000);
        scheduler.shutdownNow();
        assertThat(failed.get()).isNull();
    }

    private void writeConfig(String heartbeat) throws Exception {
        Files.writeString(yaml, """
                site: lab1
                id: %s
                board: simulated
                heartbeat: %s
                stateDir: %s
                broker:
                  urls: [%s]
                  keepAlive: 5s
                hardware:
                  devices:
                    status: { type: led, pin: 22 }
                """.formatted(id, heartbeat, dir.resolve("state"), broker.uri()));
    }

    private CliRun cmd(String... args) {
        return CliRun.cmd(broker.uri(), "lab1", args);
    }

    @Test
    void pingIdentifyAndSyncAnswerAsTheDeviceCan() {
        CliRun ping = cmd(id, "ping");
        assertThat(ping.exit()).as(ping.err()).isZero();
        assertThat(ping.out()).startsWith("ok: ping in ").contains("uptime", "session", "time", "vs this host");

        CliRun identify = cmd(id, "identify", "{\"v\":1,\"for\":\"2s\"}");
        assertThat(identify.exit()).as(identify.err()).isZero();
        assertThat(identify.out()).contains("output", "status", "2s");

        CliRun sync = cmd(id, "sync");
        assertThat(sync.exit()).isEqualTo(CmdCommand.REFUSED);
        assertThat(sync.out()).startsWith("refused: not-supported: ").contains("does not poll a time server");
    }

    @Test
    void restartReadsTheFileAgainAndStartsANewSession() throws Exception {
        Agent first = runner.agent();
        long firstSession = first.status().birthSeq();
        writeConfig("2s");

        CliRun restart = cmd(id, "restart");

        assertThat(restart.exit()).as(restart.err()).isZero();
        assertThat(restart.out()).startsWith("ok: restart");
        await().atMost(Duration.ofSeconds(20)).until(() -> runner.agent() != first && runner.agent().isConnected());
        Agent second = runner.agent();
        assertThat(second.status().birthSeq()).isGreaterThan(firstSession);
        assertThat(second.config().heartbeatInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(first.isConnected()).isFalse();
    }

    @Test
    void aFileThatNoLongerLoadsRefusesTheRestartAndTheAgentCarriesOn() throws Exception {
        Agent running = runner.agent();
        writeConfig("1ms");

        CliRun restart = cmd(id, "restart");

        assertThat(restart.exit()).isEqualTo(CmdCommand.REFUSED);
        assertThat(restart.out()).startsWith("refused: config-invalid: ").contains("heartbeat");
        assertThat(runner.agent()).isSameAs(running);
        assertThat(running.isConnected()).isTrue();
        assertThat(cmd(id, "ping").exit()).isZero();
    }
}
