package dev.edgekit.tools.fleet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.edgekit.console.DurationConverter;
import dev.edgekit.console.EdgekitCommand;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code edgekit bench fleet}: N full simulated agents against a real broker, counted by an independent subscriber in
 * another process. Figures only; nothing here asserts on time.
 */
@Command(name = "fleet", mixinStandardHelpOptions = true,
        description = {"Runs 'edgekit simulate' with N devices in a child JVM against a broker (Mosquitto started here,",
            "the simulator's embedded one, or --broker), counts what an independent mosquitto_sub (QoS 1, MQTT 5) in",
            "another process received, and prints start, RSS, threads, CPU, sampling lag, delivered %%, duplicates,",
            "gaps, false suspicions and the fleet-wide clock error. One large run at a time: each N runs alone."})
public final class FleetBench implements Callable<Integer> {
    /** The launcher's flags for simulate, for a bench started without the launcher. */
    static final String SIMULATE_JAVA_OPTS = "-Xss512k -XX:+UseSerialGC -Xms96m -Xmx320m -Xmn112m"
            + " -XX:SurvivorRatio=3 -XX:TargetSurvivorRatio=90 -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30";

    @Option(names = {"-n", "--devices"}, split = ",", defaultValue = "100,500,1000",
            description = "Fleet sizes to run, one after the other (default: ${DEFAULT-VALUE}).")
    int[] devices;

    @Option(names = "--broker", defaultValue = "mosquitto", description = {"'mosquitto' (start one from"
            + " broker-config's dev.conf on a free port), 'embedded' (the simulator's own) or tcp://HOST:PORT"
            + " (default: ${DEFAULT-VALUE})."})
    String broker;

    @Option(names = {"-d", "--duration"}, defaultValue = "60s", converter = DurationConverter.class,
            description = "How long each fleet runs once every device is up (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--sample", defaultValue = "1s", converter = DurationConverter.class,
            description = "Sampling interval (default: ${DEFAULT-VALUE}).")
    Duration sample;

    @Option(names = "--heartbeat", defaultValue = "1s", converter = DurationConverter.class,
            description = "Heartbeat interval (default: ${DEFAULT-VALUE}).")
    Duration heartbeat;

    @Option(names = "--java-opts", description = "JVM flags for the simulator (default: $EDGEKIT_SIMULATE_JAVA_OPTS,"
            + " as the launcher sets it for simulate).")
    String javaOpts;

    @Option(names = "--simulate-args", description = "Extra arguments for simulate, e.g. \"--chaos\".")
    String simulateArgs;

    @Option(names = "--json", description = "Print the figures as JSON instead of a table.")
    boolean json;

    @Option(names = "--raw", description = "Keep everything the subscriber printed in <dir>/n<N>/subscriber.txt.")
    boolean raw;

    @Option(names = "--dir", description = "Where logs go (default: a new temporary folder).")
    Path dir;

    @Override
    public Integer call() throws Exception {
        EdgekitCommand.quietLogs();
        for (int n : devices) {
            if (n < 1 || n > 20_000) {
                throw new IllegalArgumentException("--devices: each size must be between 1 and 20000, not " + n);
            }
        }
        if (!broker.equals("mosquitto") && !broker.equals("embedded") && !broker.matches("tcp://[^/\\s]+:\\d+")) {
            throw new IllegalArgumentException("--broker must be 'mosquitto', 'embedded' or tcp://HOST:PORT, not '"
                    + broker + "'");
        }
        if (duration.isNegative() || duration.isZero() || sample.isNegative() || sample.isZero()
                || heartbeat.isNegative() || heartbeat.isZero()) {
            throw new IllegalArgumentException("--duration, --sample and --heartbeat must be positive");
        }
        String opts = javaOpts != null ? javaOpts
                : System.getenv().getOrDefault("EDGEKIT_SIMULATE_JAVA_OPTS", SIMULATE_JAVA_OPTS);
        Path base = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("edgekit-bench-fleet-");
        PrintStream out = System.out;
        PrintStream progress = json ? System.err : System.out;
        progress.println("logs in " + base);
        List<FleetFigures> results = new ArrayList<>();
        for (int n : devices) {
            progress.printf(Locale.ROOT, "fleet of %d on %s for %d s (load %.2f)…%n", n, broker, duration.toSeconds(),
                    ProcStats.load1());
            results.add(new FleetRun(n, broker, duration, sample, heartbeat, split(opts), split(simulateArgs),
                    base.resolve("n" + n), raw, progress, java.time.Clock.systemUTC()).run());
        }
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(results));
        } else {
            FleetTable.print(results, out);
        }
        return 0;
    }

    private static List<String> split(String s) {
        return s == null || s.isBlank() ? List.of() : Arrays.asList(s.trim().split("\\s+"));
    }
}
