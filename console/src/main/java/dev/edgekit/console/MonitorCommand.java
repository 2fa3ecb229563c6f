package dev.edgekit.console;

import dev.edgekit.protocol.message.Codec;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.ubiquitous.registry.Registry;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code edgekit monitor}: a live table of the fleet, built from the broker's topics. */
@Command(name = "monitor", mixinStandardHelpOptions = true,
        description = {"Shows the fleet live: subscribes to edgekit/v1/#, builds the device view from retained state,",
            "heartbeats and telemetry, and redraws a table in place (plain snapshots when not on a terminal)."})
final class MonitorCommand implements java.util.concurrent.Callable<Integer> {
    @Mixin
    FleetWatch fleet;

    @Option(names = "--once", description = "Print one snapshot after --settle and exit.")
    boolean once;

    @Option(names = "--settle", defaultValue = "2s", converter = Flags.NonNegativeDuration.class,
            description = "With --once: how long to collect before printing (default: ${DEFAULT-VALUE}).")
    Duration settle;

    @Option(names = "--interval", defaultValue = "1s", converter = Flags.PositiveDuration.class,
            description = "Redraw interval (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--transitions", converter = Flags.NonNegativeInt.class, defaultValue = "8", description = "Recent transitions to show (default: ${DEFAULT-VALUE}).")
    int transitions;

    @Override
    public Integer call() throws Exception {
        EdgekitCommand.quietLogs();
        Clock clock = Clock.systemUTC();
        Registry registry = new Registry(clock, new Codec());
        // failure detection and its transitions
        var liveness = dev.edgekit.ubiquitous.detect.LivenessMonitor.attach(registry,
                fleet.detectorConfig());
        var recent = new java.util.concurrent.ConcurrentLinkedDeque<dev.edgekit.ubiquitous.detect.Transition>();
        liveness.addListener(t -> {
            recent.addLast(t);
            while (recent.size() > Math.max(0, transitions)) {
                recent.pollFirst();
            }
        });
        var timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
                .name("monitor-liveness").factory());
        liveness.schedule(timer, clock, Duration.ofMillis(100));
        var deltas = new dev.edgekit.protocol.shadow.PendingDeltas();
        try (AutoCloseable stopTimer = timer::shutdownNow; MqttSession session = fleet.connect("monitor", registry,
                s -> deltas.attach(s, fleet.site()))) {
            PrintStream out = System.out;
            if (once) {
                Thread.sleep(settle.toMillis()); // a CLI waiting for retained messages to arrive, not a test
                out.print(FleetTable.render(registry.devices(), registry.stats(), clock.instant(), liveness, List.copyOf(recent), deltas));
                return 0;
            }
            boolean ansi = System.console() != null && !"dumb".equals(System.getenv("TERM"));
            while (!Thread.currentThread().isInterrupted()) {
                String table = FleetTable.render(registry.devices(), registry.stats(), clock.instant(), liveness, List.copyOf(recent), deltas);
                if (ansi) {
                    out.print("\033[H\033[2J" + "edgekit monitor — " + fleet.broker + " — " + clock.instant() + "\n\n" + table);
                } else {
                    out.print(table + "\n");
                }
                out.flush();
                Thread.sleep(interval.toMillis());
            }
        }
        return 0;
    }
}
