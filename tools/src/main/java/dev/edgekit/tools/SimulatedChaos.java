package dev.edgekit.tools;

import dev.edgekit.protocol.mqtt.MqttSession;
import java.io.PrintStream;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code simulate --chaos} around a {@link Simulator}: the {@link Chaos} monkey, and a {@link ChaosCheck} on a session
 * of its own that judges the fleet at the end. The broker is never restarted here: simulate's embedded broker keeps
 * nothing across a restart and another broker is not ours (ChaosIT restarts a persistent Mosquitto).
 */
final class SimulatedChaos implements AutoCloseable {
    private final Simulator fleet;
    private final Chaos chaos;
    private final ChaosCheck check;
    private final MqttSession session;
    private final PrintStream out;

    private SimulatedChaos(Simulator fleet, Chaos chaos, ChaosCheck check, MqttSession session, PrintStream out) {
        this.fleet = fleet;
        this.chaos = chaos;
        this.check = check;
        this.session = session;
        this.out = out;
    }

    /** Plans the chaos on {@code fleet} (victims, proxies, clock steps); call before the fleet starts. */
    static SimulatedChaos plan(Simulator fleet, String broker, String site, long seed, Duration every, int victims,
            InstantSource clock, PrintStream out) throws Exception {
        List<String> ids = fleet.deviceIds();
        Chaos chaos = new Chaos(ids, victims <= 0 ? Chaos.defaultVictims(ids.size()) : Math.min(victims, ids.size()),
                seed, every, clock, null);
        fleet.chaos(chaos);
        MqttSession session = MqttSession.builder().server(broker)
                .clientId(fleet.run().clientId("edgekit-chaos-check")).build();
        ChaosCheck check = new ChaosCheck(site, chaos.victims(), clock, session);
        session.connect().get(30, TimeUnit.SECONDS);
        check.registry().ready().get(30, TimeUnit.SECONDS);
        out.printf(Locale.ROOT, "chaos: every %s a crash or a cut among %d victims %s; the other %d devices are"
                + " witnesses%n", every, chaos.victims().size(), new java.util.TreeSet<>(chaos.victims()),
                ids.size() - chaos.victims().size());
        return new SimulatedChaos(fleet, chaos, check, session, out);
    }

    void start() {
        chaos.start(fleet, e -> out.printf(Locale.ROOT, "chaos: %s %s%s%n", e.kind(), e.device() == null ? ""
                : e.device() + ": ", e.detail()));
    }

    /** Calms the chaos down, judges the fleet and prints the verdict; the number of broken invariants. */
    int finish() throws InterruptedException {
        List<String> broken = check.settle(fleet, chaos, Duration.ofSeconds(90), line -> out.println("chaos: " + line));
        long crashes = chaos.events().stream().filter(e -> e.kind() == Chaos.Kind.CRASH).count();
        long cuts = chaos.events().stream().filter(e -> e.kind() == Chaos.Kind.PARTITION).count();
        long steps = chaos.events().stream().filter(e -> e.kind() == Chaos.Kind.CLOCK_STEP).count();
        out.printf(Locale.ROOT, "chaos: %d crashes, %d cuts, %d clock steps on %d devices; %d data messages checked%n",
                crashes, cuts, steps, chaos.struck().size(), check.distinctReceived());
        if (broken.isEmpty()) {
            out.println("chaos: every invariant held: nothing lost, no sequence number reused, every device back"
                    + " online (struck ones in a newer session), every clock synchronised, no witness shown offline");
        } else {
            out.println("chaos: BROKEN (" + broken.size() + "):");
            broken.forEach(b -> out.println("  " + b));
        }
        return broken.size();
    }

    @Override
    public void close() {
        chaos.close();
        session.close();
    }
}
