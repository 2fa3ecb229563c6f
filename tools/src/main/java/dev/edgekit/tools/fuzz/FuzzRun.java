package dev.edgekit.tools.fuzz;

import dev.edgekit.agent.runtime.Agent;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.testkit.fuzz.Fuzzer;
import dev.edgekit.testkit.fuzz.HostileInput.Outcome;
import dev.edgekit.testkit.fuzz.HostileInputs;
import dev.edgekit.testkit.fuzz.Tally;
import dev.edgekit.tools.Simulator;
import dev.edgekit.ubiquitous.registry.RegistryStats;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One fuzz run: a quiet simulated fleet on a broker, an independent observer ({@link FleetInvariants}), and the
 * {@link Fuzzer} from testkit attacking it for a bounded time; then the invariants and the counts are checked. Used by
 * {@code edgekit bench fuzz} and by the CI test.
 */
public final class FuzzRun {
    /**
     * What to run; {@code seed} makes the fleet and the inputs reproducible.
     *
     * @param quiet how long the fleet is measured after the attack, as the baseline of the defences' cost
     *              (zero: not measured)
     */
    public record Settings(int devices, long seed, Fuzzer.Pace pace, Duration heartbeat, Duration quiet) {
        public Settings {
            if (devices < 2 || devices > 200) {
                throw new IllegalArgumentException("--devices: " + devices + " is not in 2..200");
            }
            if (quiet.isNegative() || quiet.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("--quiet: " + quiet + " is not in 0..10m");
            }
        }
    }

    /**
     * The outcome.
     *
     * @param violations   one line per broken invariant or miscount; empty when the fleet held
     * @param figures      per device, what the observer saw during the attack
     * @param refusedDelta per device, how its published refusal counts (and commands carried out) moved
     * @param cpuNanos     this JVM's CPU time during the attack ({@code wallMillis}), and during the quiet baseline
     *                     before it ({@code quietMillis}); -1 where the JVM cannot tell
     */
    public record Result(Tally tally, List<String> violations, Map<String, DeviceWatch.Figures> figures,
            Map<String, Map<String, Long>> refusedDelta, RegistryStats registryDelta, long cpuNanos, long wallMillis,
            long quietCpuNanos, long quietMillis) {
        /** CPU the attack cost above the quiet fleet's, per hostile input; NaN without a baseline. */
        public double extraCpuMicrosPerInput() {
            if (quietMillis <= 0 || cpuNanos < 0 || tally.sent() == 0) {
                return Double.NaN;
            }
            double baseline = (double) quietCpuNanos * wallMillis / quietMillis;
            return (cpuNanos - baseline) / 1e3 / tally.sent();
        }
    }

    private static final Duration SETTLE = Duration.ofSeconds(60);
    private static final Duration COUNT_WAIT = Duration.ofSeconds(15);

    private FuzzRun() {
    }

    public static Result run(String broker, Settings settings, Consumer<String> progress) throws Exception {
        Clock clock = Clock.systemUTC(); // the benchmark's one clock: reference time of the simulation and observer
        String site = "fuzz-" + Long.toHexString(new SplittableRandom().nextLong() & 0xffffffL);
        Simulator.Plan plan = Simulator.Plan.quiet(settings.devices(), broker, site, settings.seed(),
                settings.heartbeat());
        MqttSession observer = MqttSession.builder().server(broker).clientId(site + "-observer").build();
        try (Simulator fleet = new Simulator(plan, clock)) {
            List<String> ids = new ArrayList<>();
            for (int i = 1; i <= settings.devices(); i++) {
                ids.add(String.format(java.util.Locale.ROOT, "sim-%04d", i));
            }
            FleetInvariants invariants = new FleetInvariants(site, ids, settings.heartbeat(), clock, observer);
            observer.connect().get(30, TimeUnit.SECONDS);
            invariants.registry().ready().get(30, TimeUnit.SECONDS);
            progress.accept("starting " + settings.devices() + " agents on " + broker + " (site " + site + ")");
            fleet.start().get(SETTLE.toSeconds(), TimeUnit.SECONDS);
            awaitSettled(fleet, invariants, clock);

            Map<String, Map<String, Long>> before = counts(fleet, invariants);
            RegistryStats registryBefore = invariants.registry().stats();
            invariants.arm();
            progress.accept("fleet settled: every device online, heartbeating and synchronised; attacking for "
                    + settings.pace().duration().toSeconds() + " s at " + settings.pace().perSecond() + "/s");
            long cpuBefore = ProcessCpu.nanos();
            long start = clock.millis();
            Tally tally;
            try (Fuzzer fuzzer = new Fuzzer(broker, site + "-fuzzer", clock)) {
                HostileInputs inputs = new HostileInputs(site, ids, new SplittableRandom(settings.seed()), clock,
                        invariants::birthSeq);
                tally = fuzzer.run(inputs, settings.pace(), t -> progress.accept("sent " + t));
            }
            long end = clock.millis();
            long cpu = ProcessCpu.nanos() - cpuBefore;
            progress.accept("attack over: " + tally + "; waiting for the counts to be published");

            List<String> miscounts = awaitCounts(fleet, invariants, tally, before, registryBefore, clock);
            // the baseline after the attack, on the same warmed-up fleet (before it, JIT compilation and the first
            // clock-sync bursts cost more than the attack does)
            long quietStart = clock.millis();
            long quietCpu = ProcessCpu.nanos();
            if (!settings.quiet().isZero()) {
                progress.accept("measuring the quiet fleet for " + settings.quiet().toSeconds() + " s (baseline)");
                Thread.sleep(settings.quiet().toMillis());
            }
            quietCpu = ProcessCpu.nanos() - quietCpu;
            long quietMillis = clock.millis() - quietStart;
            List<String> violations = new ArrayList<>(invariants.violations(end));
            violations.addAll(miscounts);
            Map<String, DeviceWatch.Figures> figures = new TreeMap<>();
            ids.forEach(id -> figures.put(id, invariants.figures(id, end)));
            Map<String, Map<String, Long>> after = counts(fleet, invariants);
            Map<String, Map<String, Long>> delta = new TreeMap<>();
            ids.forEach(id -> delta.put(id, minus(after.get(id), before.get(id))));
            return new Result(tally, violations, figures, delta,
                    minus(invariants.registry().stats(), registryBefore), cpu, end - start, quietCpu,
                    settings.quiet().isZero() ? 0 : quietMillis);
        } finally {
            observer.close();
        }
    }

    private static void awaitSettled(Simulator fleet, FleetInvariants invariants, Clock clock)
            throws InterruptedException {
        long deadline = clock.millis() + SETTLE.toMillis();
        while (!(invariants.settled() && fleet.agents().stream().allMatch(a -> a.clock().synchronised()))) {
            if (clock.millis() > deadline) {
                throw new IllegalStateException("the fleet did not settle within " + SETTLE.toSeconds()
                        + " s (online, heartbeating, synchronised); nothing was sent");
            }
            Thread.sleep(100);
        }
    }

    /** Per device: the refusal counts of its last heartbeat, and the commands it carried out ({@code ok}). */
    private static Map<String, Map<String, Long>> counts(Simulator fleet, FleetInvariants invariants) {
        Map<String, Map<String, Long>> all = new TreeMap<>();
        for (Agent agent : fleet.agents()) {
            Map<String, Long> counts = new TreeMap<>(invariants.refused(agent.id()));
            counts.put("ok", agent.hardwareStatus().commandsOk());
            all.put(agent.id(), counts);
        }
        return all;
    }

    /** Waits until every input shows up where it must (heartbeats carry the counts), or says what does not. */
    private static List<String> awaitCounts(Simulator fleet, FleetInvariants invariants, Tally tally,
            Map<String, Map<String, Long>> before, RegistryStats registryBefore, Clock clock)
            throws InterruptedException {
        long deadline = clock.millis() + COUNT_WAIT.toMillis();
        List<String> miscounts;
        do {
            Thread.sleep(500);
            miscounts = miscounts(counts(fleet, invariants), before, tally,
                    minus(invariants.registry().stats(), registryBefore));
        } while (!miscounts.isEmpty() && clock.millis() < deadline);
        return miscounts;
    }

    static List<String> miscounts(Map<String, Map<String, Long>> now, Map<String, Map<String, Long>> before,
            Tally tally, RegistryStats registry) {
        List<String> wrong = new ArrayList<>();
        for (String device : now.keySet()) {
            Map<String, Long> d = minus(now.get(device), before.get(device));
            check(wrong, device, "misdirected", d.get("misdirected"), tally.sent(device, Outcome.MISDIRECTED));
            check(wrong, device, "noResponseTopic", d.get("noResponseTopic"),
                    tally.sent(device, Outcome.NO_RESPONSE_TOPIC));
            check(wrong, device, "stamps", d.get("stamps"), tally.poisonedStamps(device));
            long answered = d.get("ok") + d.get("badCommands") + d.get("busy") + d.get("undelivered");
            check(wrong, device, "ok+badCommands+busy+undelivered", answered,
                    tally.sent(device, Outcome.BAD_COMMAND) + tally.sent(device, Outcome.ANSWERED));
        }
        long refusedByRegistry = registry.malformed() + registry.badTopics() + registry.implausible()
                + registry.unverified() + registry.contradicted() + registry.staleStates();
        check(wrong, "registry", "malformed+badTopics+implausible+unverified+contradicted+staleStates",
                refusedByRegistry, tally.sent(Outcome.REGISTRY));
        return wrong;
    }

    private static void check(List<String> wrong, String who, String counter, Long counted, long sent) {
        long got = counted == null ? 0 : counted;
        if (got != sent) {
            wrong.add(who + ": " + counter + " moved by " + got + ", " + sent + " such inputs were sent");
        }
    }

    private static Map<String, Long> minus(Map<String, Long> now, Map<String, Long> before) {
        Map<String, Long> delta = new TreeMap<>();
        for (String key : List.of("ok", "badCommands", "busy", "undelivered", "misdirected", "noResponseTopic",
                "stamps")) {
            delta.put(key, now.getOrDefault(key, 0L) - (before == null ? 0 : before.getOrDefault(key, 0L)));
        }
        return delta;
    }

    private static RegistryStats minus(RegistryStats a, RegistryStats b) {
        return new RegistryStats(a.accepted() - b.accepted(), a.malformed() - b.malformed(),
                a.badTopics() - b.badTopics(), a.staleStates() - b.staleStates(), a.duplicates() - b.duplicates(),
                a.missing() - b.missing(), a.implausible() - b.implausible(), a.unverified() - b.unverified(),
                a.contradicted() - b.contradicted());
    }
}
