package dev.edgekit.console;

import dev.edgekit.agent.config.AgentConfig;
import dev.edgekit.agent.config.AgentConfigLoader;
import dev.edgekit.agent.runtime.ClockSanity;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.random.RandomGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code edgekit agent}: runs the agent of this board until SIGTERM. */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = {"Runs the device agent: connects to the broker, publishes its birth, heartbeats and telemetry,",
            "and says offline on SIGTERM. Exits non-zero with a one-line reason on a bad config or when the broker",
            "cannot be reached within --connect-timeout (systemd restarts it). The restart command",
            "(edgekit cmd DEVICE restart) stops it cleanly and starts it again with agent.yaml read anew."})
final class AgentCommand implements java.util.concurrent.Callable<Integer> {
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
        loadConfig(); // a bad file: one line and exit code 1, before anything starts
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "agent");
            t.setDaemon(true);
            return t;
        });
        AgentRunner runner = new AgentRunner(this::loadConfig, Clock.systemUTC(), scheduler,
                RandomGenerator.getDefault(), EdgekitCommand.version(), connectTimeout);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                runner.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "shutdown"));
        runner.run();
        return 0;
    }

    /** The config file with this command line's overrides; read again at every {@code restart} command. */
    private AgentConfig loadConfig() {
        AgentConfig cfg = new AgentConfigLoader().load(config);
        if (broker != null) {
            cfg = cfg.withBroker(cfg.broker().withUrls(List.of(broker)));
        }
        if (simulated) {
            cfg = cfg.withBoard(AgentConfig.BoardKind.SIMULATED);
        }
        return cfg;
    }
}
