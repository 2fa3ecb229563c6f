package dev.edgekit.tools;

import dev.edgekit.console.Flags;
import dev.edgekit.console.DurationConverter;
import dev.edgekit.console.EdgekitCommand;

import dev.edgekit.broker.EmbeddedBroker;
import dev.edgekit.protocol.message.Birth;
import dev.edgekit.protocol.message.Codec;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.protocol.topic.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code edgekit bench startup}: starts a real agent process (simulated board) several times and measures the time
 * from process start to its birth arriving at the broker, and the agent's resident memory once it has run a while.
 */
@Command(name = "startup", mixinStandardHelpOptions = true,
        description = {"Time from agent process start to its birth on the broker, and the agent's RSS.",
            "Runs the agent with the JVM flags the launcher uses for 'edgekit agent' (EDGEKIT_AGENT_JAVA_OPTS)",
            "and on the jar it runs the agent from (EDGEKIT_AGENT_JAR: the console jar, as on a board)."})
final class StartupBench implements java.util.concurrent.Callable<Integer> {
    @Option(names = "--runs", converter = Flags.PositiveInt.class, defaultValue = "5", description = "Agent starts to measure (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--settle", defaultValue = "10s", converter = Flags.PositiveDuration.class,
            description = "How long each agent runs before its RSS is read (default: ${DEFAULT-VALUE}).")
    Duration settle;

    @Option(names = "--broker", converter = Flags.BrokerUrl.class, description = "Use this broker instead of an embedded one.")
    String broker;

    @Option(names = "--java-opts", description = "JVM flags for the agent (default: $EDGEKIT_AGENT_JAVA_OPTS).")
    String javaOpts;

    @Option(names = "--java", paramLabel = "PATH", converter = Flags.Executable.class,
            description = {"The java that runs the agents (default: the one running this).",
                "For the .deb's JDK 21: ./scripts/board-jdk21, then", "--java .edgekit/jdk21/java"})
    Path java;

    @Override
    public Integer call() throws Exception {
        EdgekitCommand.quietLogs();
        String opts = archivePerJava(javaOpts != null ? javaOpts : System.getenv()
                .getOrDefault("EDGEKIT_AGENT_JAVA_OPTS", ""), java);
        EmbeddedBroker embedded = broker == null ? EmbeddedBroker.start() : null;
        String uri = broker != null ? broker : embedded.uri();
        Path dir = Files.createTempDirectory("edgekit-bench-startup-");
        List<Double> birthMillis = new ArrayList<>();
        List<Long> rssKb = new ArrayList<>();
        List<Double> cpuAfterBirthPercent = new ArrayList<>();
        Codec codec = new Codec();
        // the board's classpath, not the tools': every jar on it is opened by the service look-ups of logging and
        // JDBC and keeps its central directory on the heap (the tools' extra jars cost the agent ~6 MB of RSS)
        String agentJar = System.getenv("EDGEKIT_AGENT_JAR");
        List<String> agentMain = agentJar != null && Files.isRegularFile(Path.of(agentJar)) ? List.of("-jar", agentJar)
                : List.of("-cp", System.getProperty("java.class.path"), dev.edgekit.console.Main.class.getName());
        try (MqttSession watcher = MqttSession.builder().server(uri).clientId("bench-startup-watcher").build()) {
            watcher.connect().get(10, TimeUnit.SECONDS);
            for (int run = 1; run <= runs; run++) {
                String id = "bench-" + run + "-" + ProcessHandle.current().pid();
                CompletableFuture<Long> born = new CompletableFuture<>();
                watcher.subscribe(Topics.state("bench", id).topic(), 1, in -> {
                    try {
                        if (codec.decode(Topics.state("bench", id), in.payload()) instanceof Birth) {
                            born.complete(System.nanoTime());
                        }
                    } catch (Exception ignored) {
                        // an offline state of an earlier run; not what we wait for
                    }
                }).granted().get(5, TimeUnit.SECONDS);
                Path config = dir.resolve(id + ".yaml");
                Files.writeString(config, "site: bench\nid: " + id + "\nboard: simulated\nheartbeat: 1s\nstateDir: "
                        + dir + "\nbroker:\n  urls: [" + uri + "]\nhardware:\n  devices:\n    env: { type: bme280 }\n");
                List<String> command = new ArrayList<>();
                command.add(javaCommand());
                if (!opts.isBlank()) {
                    command.addAll(Arrays.asList(opts.trim().split("\\s+")));
                }
                command.addAll(agentMain);
                command.addAll(List.of("agent", "--config", config.toString()));
                long start = System.nanoTime();
                Process agent = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(dir.resolve(id + ".log").toFile()).start();
                try {
                    long bornAt = born.get(30, TimeUnit.SECONDS);
                    birthMillis.add((bornAt - start) / 1e6);
                    Duration cpuAtBirth = cpu(agent);
                    Thread.sleep(settle.toMillis()); // let the agent run a while before reading its memory
                    rssKb.add(rssKb(agent.pid()));
                    cpuAfterBirthPercent.add(100.0 * cpu(agent).minus(cpuAtBirth).toNanos() / settle.toNanos());
                    System.out.printf(Locale.ROOT, "run %d: birth after %.0f ms (CPU %.2f s), RSS %.1f MB after %d s,"
                            + " then %.2f %% of a core%n", run, birthMillis.getLast(), cpuAtBirth.toMillis() / 1e3,
                            rssKb.getLast() / 1024.0, settle.toSeconds(), cpuAfterBirthPercent.getLast());
                } catch (TimeoutException e) {
                    System.out.printf(Locale.ROOT, "run %d: no birth within 30 s; agent log: %s%n", run,
                            dir.resolve(id + ".log"));
                } finally {
                    agent.destroy();
                    agent.waitFor(10, TimeUnit.SECONDS);
                }
            }
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
        if (birthMillis.isEmpty()) {
            return 1;
        }
        birthMillis.sort(null);
        rssKb.sort(null);
        cpuAfterBirthPercent.sort(null);
        System.out.printf(Locale.ROOT, "startup: birth median %.0f ms, max %.0f ms over %d runs (target ≤ 2000 ms)%n",
                birthMillis.get(birthMillis.size() / 2), birthMillis.getLast(), birthMillis.size());
        System.out.printf(Locale.ROOT, "memory:  RSS median %.1f MB, max %.1f MB (target ≤ 64 MB)%n",
                rssKb.get(rssKb.size() / 2) / 1024.0, rssKb.getLast() / 1024.0);
        System.out.printf(Locale.ROOT, "cpu:     %.2f %% of a core after birth (median; sampling, heartbeats, time)%n",
                cpuAfterBirthPercent.get(cpuAfterBirthPercent.size() / 2));
        System.out.println("agent JVM flags: " + (opts.isBlank() ? "(none)" : opts));
        System.out.println("agent started with: " + javaCommand() + " " + String.join(" ", agentMain));
        return 0;
    }

    /**
     * The launcher names the class-sharing archive after its own JDK; an archive fits one JDK only, so agents on
     * another ({@code --java}) get one of their own beside it instead of rewriting the launcher's at every exit.
     */
    static String archivePerJava(String opts, Path java) {
        if (java == null) {
            return opts;
        }
        String suffix = "-" + Integer.toHexString(java.toAbsolutePath().normalize().toString().hashCode()) + ".jsa";
        return opts.replaceAll("(-XX:SharedArchiveFile=\\S+?)(\\.jsa)?(?=\\s|$)", "$1" + suffix);
    }

    private String javaCommand() {
        return java != null ? java.toString() : ProcessHandle.current().info().command().orElse("java");
    }

    private static Duration cpu(Process agent) {
        return agent.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    private static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
