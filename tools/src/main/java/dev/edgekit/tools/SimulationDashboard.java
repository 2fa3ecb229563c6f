package dev.edgekit.tools;

import dev.edgekit.dashboard.Dashboard;
import dev.edgekit.protocol.message.Codec;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.ubiquitous.detect.DetectorConfig;
import dev.edgekit.ubiquitous.detect.LivenessMonitor;
import dev.edgekit.ubiquitous.registry.Registry;
import java.io.PrintStream;
import java.time.Clock;
import java.util.SplittableRandom;

/**
 * The dashboard {@code edgekit simulate} starts by default: an independent consumer of the simulated fleet (its own
 * session, registry and failure detector, as {@code edgekit dashboard} would be), on loopback, with output controls
 * (a development broker has no identities to check). Its web server starts at once; it starts following the fleet
 * ({@link #follow()}) once every device is up, so that with a thousand devices it does not compete with their start
 * for the CPU (it still sees every birth: they are retained).
 */
final class SimulationDashboard implements AutoCloseable {
    private final MqttSession session;
    private final Dashboard dashboard;

    private SimulationDashboard(MqttSession session, Dashboard dashboard) {
        this.session = session;
        this.dashboard = dashboard;
    }

    static SimulationDashboard start(String broker, String site, int port, long seed, PrintStream out)
            throws java.io.IOException {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--dashboard-port: " + port + " is outside 0..65535");
        }
        Clock clock = Clock.systemUTC();
        Registry registry = new Registry(clock, new Codec());
        LivenessMonitor liveness = LivenessMonitor.attach(registry, DetectorConfig.parse("phi"));
        MqttSession session = MqttSession.builder().server(broker)
                .clientId("edgekit-dashboard-" + ProcessHandle.current().pid() + "-" + Long.toHexString(seed & 0xffff))
                .build();
        registry.attach(session, site);
        Dashboard dashboard;
        try {
            dashboard = Dashboard.start(Dashboard.Options.loopback(port).withControls(true), registry, liveness,
                    session, site, clock, new SplittableRandom(seed ^ System.nanoTime()));
        } catch (java.io.IOException | RuntimeException e) {
            session.close();
            throw e;
        }
        DashboardCommand.announce(out, dashboard, broker);
        return new SimulationDashboard(session, dashboard);
    }

    /** Connects the dashboard's session: from now on it follows the fleet. */
    void follow() {
        session.connect();
    }

    Dashboard dashboard() {
        return dashboard;
    }

    @Override
    public void close() {
        dashboard.close();
        session.close();
    }
}
