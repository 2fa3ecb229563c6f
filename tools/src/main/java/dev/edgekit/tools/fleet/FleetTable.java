package dev.edgekit.tools.fleet;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/** The table {@code bench fleet} prints. */
final class FleetTable {
    private FleetTable() {
    }

    static void print(List<FleetFigures> results, PrintStream out) {
        out.println();
        out.println("    N broker     start   RSS thr   CPU  µs/msg  lag p50/p99/max s  p99 up   births  delivered  dup  gaps"
                + " inflight susp offl  sync p50/p99 µs  synced  load");
        for (FleetFigures f : results) {
            FleetFigures.Delivery d = f.delivery();
            out.printf(Locale.ROOT, "%5d %-9s %5.1fs %5d %3d %4.0f%% %7.0f  %5.3f/%5.3f/%6.2f  %6.3f  %5d/%-5d %8.3f%% %4d %5d %8d"
                    + " %4d %4d  %7.0f/%-7.0f %6d %5.1f%n", f.devices(), shortBroker(f.broker()), f.startSeconds(),
                    f.peakRssMb(), f.peakThreads(), f.cpuPercent(), f.cpuMicrosPerMessage(), d.lagP50Seconds(),
                    d.lagP99Seconds(), d.lagMaxSeconds(), d.lagP99UpSeconds(), d.born(), d.expected(),
                    d.deliveredPct(), d.duplicates(),
                    d.gaps(), d.inFlight(), d.suspicions(), d.falseOffline(), f.syncP50Micros(), f.syncP99Micros(),
                    f.synced(), f.load1());
        }
        out.println("start: simulator start to the last first birth seen outside; CPU: simulator JVM while all ran"
                + " (200 % = 2 cores); lag: payload time behind schedule (p99 up: of the samples taken once every device"
                + " was born); gaps: sequence numbers never seen (mid-run);"
                + " susp: heartbeat silences > 3 intervals; offl: offline before the stop; load: 1-min load at the end.");
    }

    private static String shortBroker(String broker) {
        return broker.length() <= 9 ? broker : broker.substring(broker.length() - 9);
    }
}
