package dev.edgekit.tools;

import dev.edgekit.dashboard.Dashboard;
import dev.edgekit.ubiquitous.detect.DetectorConfig;
import dev.edgekit.ubiquitous.detect.LivenessMonitor;
import java.io.PrintStream;
import java.util.SplittableRandom;

/**
 * The dashboard {@code edgekit simulate} starts by default, on loopback, with output controls (a development broker
 * has no identities to check). It follows the fleet through the simulator's observer, a consumer of the broker like
 * any other, with a failure detector of its own: one session and one decoding of every message for both the status
 * line and the dashboard. A session of its own (as {@code edgekit dashboard} has) received and decoded all of a
 * thousand devices' traffic a second time: about a fifth of the simulator's CPU (JFR, 1,000 devices).
 */
final class SimulationDashboard implements AutoCloseable {
    private final Dashboard dashboard;

    private SimulationDashboard(Dashboard dashboard) {
        this.dashboard = dashboard;
    }

    static SimulationDashboard start(Simulator simulator, int port, long seed, PrintStream out)
            throws java.io.IOException {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--dashboard-port: " + port + " is outside 0..65535");
        }
        LivenessMonitor liveness = LivenessMonitor.attach(simulator.observerRegistry(), DetectorConfig.parse("phi"));
        Dashboard dashboard = Dashboard.start(Dashboard.Options.loopback(port).withControls(true),
                simulator.observerRegistry(), liveness, simulator.observerSession(), simulator.plan().site(),
                simulator.referenceClock(), new SplittableRandom(seed ^ System.nanoTime()));
        DashboardCommand.announce(out, dashboard, simulator.plan().broker());
        return new SimulationDashboard(dashboard);
    }

    Dashboard dashboard() {
        return dashboard;
    }

    /** Stops the web server; the session is the simulator's. */
    @Override
    public void close() {
        dashboard.close();
    }
}
