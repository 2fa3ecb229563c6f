package dev.edgekit.console;

import dev.edgekit.agent.config.AgentConfig;
import dev.edgekit.agent.config.ConfigException;
import dev.edgekit.agent.runtime.Agent;
import dev.edgekit.agent.runtime.AgentBoards;
import dev.edgekit.agent.runtime.AgentEnvironment;
import dev.edgekit.agent.runtime.RestartHook;
import dev.edgekit.hardware.Board;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs this board's agent until {@link #stop}, and restarts it when an operator sends {@code restart}: the running
 * agent says {@code offline} and disconnects, the configuration file is read again, and a new agent starts from the
 * same state folder (a newer session, sequence numbers and logical clocks carried on). A configuration that no longer
 * loads refuses the restart before anything stops, so a typo in {@code agent.yaml} never takes a board off the air.
 */
final class AgentRunner implements RestartHook {
    private static final Logger log = LoggerFactory.getLogger(AgentRunner.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(3);

    private enum Signal { RESTART, STOP }

    private final Supplier<AgentConfig> config;
    private final InstantSource clock;
    private final ScheduledExecutorService scheduler;
    private final RandomGenerator random;
    private final String version;
    private final Duration connectTimeout;
    private final BlockingQueue<Signal> signals = new LinkedBlockingQueue<>();
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile Agent agent;

    /**
     * @param config loads the configuration (with the command line's overrides) at the start and at every restart;
     *               throws {@link ConfigException} naming the problem
     */
    AgentRunner(Supplier<AgentConfig> config, InstantSource clock, ScheduledExecutorService scheduler,
            RandomGenerator random, String version, Duration connectTimeout) {
        this.config = config;
        this.clock = clock;
        this.scheduler = scheduler;
        this.random = random;
        this.version = version;
        this.connectTimeout = connectTimeout;
    }

    /**
     * Runs agents until {@link #stop}: returns normally then, throws when an agent cannot reach its broker within the
     * connect timeout (at the start or after a restart; systemd starts the process again).
     */
    void run() throws Exception {
        try {
            while (true) {
                agent = start(config.get());
                Signal signal = signals.take();
                agent.stop(STOP_TIMEOUT);
                if (signal == Signal.STOP) {
                    return;
                }
                log.info("agent {} restarting: configuration read again", agent.id());
            }
        } finally {
            finished.countDown();
        }
    }

    private Agent start(AgentConfig cfg) throws Exception {
        // board: pi opens the real board or fails with one line saying how to choose simulated hardware; no fallback
        Board board = AgentBoards.open(cfg, clock, scheduler, random.nextLong());
        if (cfg.id() == null) {
            cfg = cfg.withId(board.info().defaultDeviceId()); // the Pi's serial (or host name); simulated: sim-<seed>
        }
        Agent started = Agent.create(cfg, AgentEnvironment.of(clock, scheduler, random, version).withRestarts(this),
                board);
        agent = started;
        try {
            started.start().get(connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            started.stop(STOP_TIMEOUT);
            String where = cfg.broker().urls().isEmpty() ? "(none found with mDNS: broker.discover)"
                    : String.join(", ", cfg.broker().urls()) + (cfg.broker().discover() != null ? " or by mDNS" : "");
            throw new IllegalStateException("cannot reach broker " + where + " within " + connectTimeout.toSeconds()
                    + " s" + (started.status().session().connectFailures() > 0
                            ? " (connection refused or timed out)" : ""));
        }
        log.info("agent {} running (site {}, broker {})", started.id(), cfg.site(),
                started.status().connected() ? "connected" : "connecting");
        return started;
    }

    /** The agent running now (null before the first start). */
    Agent agent() {
        return agent;
    }

    /** Stops the agent and waits (up to a few seconds) for it to say offline: SIGTERM's path. */
    void stop() throws InterruptedException {
        signals.add(Signal.STOP);
        finished.await(STOP_TIMEOUT.toMillis() + 2_000, TimeUnit.MILLISECONDS);
    }

    @Override
    public Optional<String> problem() {
        try {
            config.get();
            return Optional.empty();
        } catch (ConfigException e) {
            return Optional.of(e.getMessage());
        }
    }

    @Override
    public void restart() {
        signals.add(Signal.RESTART);
    }
}
