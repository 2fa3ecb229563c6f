package dev.edgekit.console;

import dev.edgekit.agent.config.AgentConfig;
import dev.edgekit.agent.config.AgentConfigLoader;
import dev.edgekit.agent.runtime.Agent;
import dev.edgekit.agent.runtime.AgentBoards;
import dev.edgekit.agent.runtime.AgentEnvironment;
import dev.edgekit.agent.runtime.ClockSanity;
import dev.edgekit.hardware.Board;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code edgekit agent}: runs the agent of this board until SIGTERM. */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = {"Runs the device agent: connects to the broker, publishes its birth, heartbeats and telemetry,",
            "and says offline on SIGTERM. Exits non-zero with a one-line reason on a bad config or when the broker",
            "cannot be reached within --connect-timeout (systemd restarts it)."})
final class AgentCommand implements java.util.concurrent.Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(AgentCommand.class);

    static final String DEFAULT_CONFIG = "/etc/edgekit/agent.yaml";
    static final String DEFAULT_CONNECT_TIMEOUT = "30s";

    @Option(names = {"-c", "--config"}, defaultValue = DEFAULT_CONFIG, description = "Config file (default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(names = "--broker", converter = Flags.BrokerUrl.class, description = "Broker URL, overriding the config (e.g. tcp://127.0.0.1:1883).")
    String broker;

    @Option(names = "--simulated", description = "Use simulated hardware, whatever the config says.")
    boolean simulated;

    @Option(names = "--connect-timeout", defaultValue = DEFAULT_CONNECT_TIMEOUT, converter = Flags.PositiveDuration.class,
            description = "Give up if the first connect does not succeed within this (default: ${DEFAULT-VALUE}).")
    Duration connectTimeout;

    @Override
    public Integer call() throws Exception {
        ClockSanity.requireNotBefore(Clock.systemUTC(), EdgekitCommand.buildTime());
        AgentConfig cfg = new AgentConfigLoader().load(config);
        if (broker != null) {
            cfg = cfg.withBroker(cfg.broker().withUrls(List.of(broker)));
        }
        if (simulated) {
            cfg = cfg.withBoard(AgentConfig.BoardKind.SIMULATED);
        }
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "agent");
            t.setDaemon(true);
            return t;
        });
        // board: pi opens the real board or fails with one line saying how to choose simulated hardware; no fallback
        RandomGenerator random = RandomGenerator.getDefault();
        Board board = AgentBoards.open(cfg, Clock.systemUTC(), scheduler, random.nextLong());
        if (cfg.id() == null) {
            cfg = cfg.withId(board.info().defaultDeviceId()); // the Pi's serial (or host name); simulated: sim-<seed>
        }
        Agent agent = Agent.create(cfg,
                AgentEnvironment.of(Clock.systemUTC(), scheduler, random, EdgekitCommand.version()), board);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.stop(Duration.ofSeconds(3));
            stopped.countDown();
        }, "shutdown"));
        try {
            agent.start().get(connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            String where = cfg.broker().urls().isEmpty() ? "(none found with mDNS: broker.discover)"
                    : String.join(", ", cfg.broker().urls()) + (cfg.broker().discover() != null ? " or by mDNS" : "");
            throw new IllegalStateException("cannot reach broker " + where
                    + " within " + connectTimeout.toSeconds() + " s" + lastError(agent));
        }
        log.info("agent {} running (site {}, broker {})", agent.id(), cfg.site(), agent.status().connected()
                ? "connected" : "connecting");
        stopped.await();
        return 0;
    }

    private static String lastError(Agent agent) {
        return agent.status().session().connectFailures() > 0 ? " (connection refused or timed out)" : "";
    }
}
