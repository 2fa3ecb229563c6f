package dev.edgekit.tools.fuzz;

import dev.edgekit.console.Flags;
import dev.edgekit.testkit.MosquittoProcess;
import dev.edgekit.testkit.fuzz.Fuzzer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code edgekit bench fuzz}: attacks a simulated fleet with hostile inputs and prints whether its invariants held,
 * what was sent, what each device counted, and what the defences cost. Exit code 1 when an invariant broke.
 */
@Command(name = "fuzz", mixinStandardHelpOptions = true,
        description = {"Starts N simulated agents on a broker (Mosquitto from broker-config's dev.conf on a free port,",
            "or --broker), waits until all are online and synchronised, then publishes seeded hostile inputs",
            "(poisoned stamps, reply loops, oversize and malformed commands, foreign ids, spoofed births and Wills,",
            "junk topics, floods) for --duration, and checks: every device keeps heartbeating, answers within its",
            "rate limit, publishes bounded logical stamps, stays online in an independent registry, and counts every",
            "input where docs/hardening.md says. Exit code 1 when something broke; the same --seed repeats a run."})
public final class FuzzBench implements Callable<Integer> {
    @Option(names = {"-n", "--devices"}, defaultValue = "10", converter = Flags.PositiveInt.class,
            description = "Devices in the fleet, 2..200 (default: ${DEFAULT-VALUE}).")
    int devices;

    @Option(names = {"-d", "--duration"}, defaultValue = "60s", converter = Flags.PositiveDuration.class,
            description = "How long the attack lasts (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--rate", defaultValue = "100", converter = Flags.PositiveInt.class,
            description = "Hostile inputs per second, 1..10000 (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--max-inputs", defaultValue = "10000000", description = "Stop after this many inputs"
            + " (default: ${DEFAULT-VALUE}).")
    long maxInputs;

    @Option(names = "--flood-every", defaultValue = "10s", converter = Flags.PositiveDuration.class,
            description = "Interval between floods of valid commands at one device (default: ${DEFAULT-VALUE}).")
    Duration floodEvery;

    @Option(names = "--flood", defaultValue = "100", converter = Flags.NonNegativeInt.class,
            description = "Commands in each flood, 0 for none (default: ${DEFAULT-VALUE}).")
    int flood;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the fleet and the inputs (default:"
            + " ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--quiet", defaultValue = "20s", converter = Flags.NonNegativeDuration.class,
            description = "Measure the fleet this long after the attack, as the baseline of what the"
                    + " defences cost; 0s to skip (default: ${DEFAULT-VALUE}).")
    Duration quiet;

    @Option(names = "--costs", description = "Only measure what each defence costs on its own (ns per operation,"
            + " no fleet, no broker), and exit.")
    boolean costsOnly;

    @Option(names = "--broker", converter = Flags.BrokerUrl.class, description = "Attack a fleet on this broker"
            + " (tcp://HOST:PORT) instead of a private Mosquitto. Never a production broker.")
    String broker;

    @Override
    public Integer call() throws Exception {
        if (costsOnly) {
            System.out.println("what each defence costs on its own (median of 5 rounds, ns per operation):");
            DefenceCosts.measure(1_000_000).forEach((what, ns) -> System.out.printf(Locale.ROOT, "  %-52s %,10.0f%n",
                    what, ns));
            return 0;
        }
        // every flag checked before a broker starts
        FuzzRun.Settings settings = new FuzzRun.Settings(devices, seed,
                new Fuzzer.Pace(rate, duration, maxInputs, floodEvery, flood), Duration.ofSeconds(1), quiet);
        MosquittoProcess mosquitto = broker == null ? MosquittoProcess.start() : null;
        try {
            String uri = broker != null ? broker : mosquitto.uri();
            FuzzRun.Result result = FuzzRun.run(uri, settings, line -> System.err.println("fuzz: " + line));
            print(result);
            return result.violations().isEmpty() ? 0 : 1;
        } finally {
            if (mosquitto != null) {
                mosquitto.close();
            }
        }
    }

    private void print(FuzzRun.Result r) {
        System.out.printf(Locale.ROOT, "fuzz: %d devices, seed %d, %d inputs in %.1f s (%d refused by the broker)%n",
                devices, seed, r.tally().sent(), r.wallMillis() / 1000.0, r.tally().failed());
        r.tally().byKind().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> System.out.printf(Locale.ROOT, "  %-18s %,10d%n", e.getKey(), e.getValue()));
        System.out.printf(Locale.ROOT, "%n%-10s %6s %8s %9s %8s %12s %8s %8s %9s%n", "device", "beats", "gap ms",
                "replies", "max/s", "lamport max", "hlc ms", "offline", "longest");
        r.figures().forEach((id, f) -> System.out.printf(Locale.ROOT, "%-10s %6d %8d %9d %8d %12d %8d %8d %9d%n", id,
                f.heartbeats(), f.worstHeartbeatGapMillis(), f.replies(), f.mostRepliesInASecond(),
                f.highestLamport(), f.worstHlcOffsetMillis(), f.offlineSpells(), f.longestOfflineMillis()));
        System.out.printf(Locale.ROOT, "%ncounted by the devices (sum over the fleet):%n");
        Map<String, Long> sums = new java.util.TreeMap<>();
        r.refusedDelta().values().forEach(m -> m.forEach((k, v) -> sums.merge(k, v, Long::sum)));
        sums.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-18s %,10d%n", k, v));
        System.out.printf(Locale.ROOT, "counted by an independent registry: %s%n", r.registryDelta());
        if (r.cpuNanos() >= 0 && r.tally().sent() > 0) {
            System.out.printf(Locale.ROOT, "CPU of this JVM (fleet, observer and fuzzer) during the attack: %.1f s,"
                    + " %.0f µs per hostile input%n", r.cpuNanos() / 1e9, r.cpuNanos() / 1e3 / r.tally().sent());
        }
        if (!Double.isNaN(r.extraCpuMicrosPerInput())) {
            System.out.printf(Locale.ROOT, "quiet baseline: %.1f s CPU in %.1f s; the attack cost %.0f µs of CPU per"
                    + " hostile input above it (publishing it, refusing it, counting it)%n", r.quietCpuNanos() / 1e9,
                    r.quietMillis() / 1e3, r.extraCpuMicrosPerInput());
        }
        if (r.violations().isEmpty()) {
            System.out.println("\nevery invariant held; every input was counted where the rules say");
        } else {
            System.out.println("\nBROKEN (" + r.violations().size() + "):");
            r.violations().forEach(v -> System.out.println("  " + v));
        }
    }
}
