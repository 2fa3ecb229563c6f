package dev.edgekit.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code simulate --report FILE}: the simulator's own end-of-run figures as JSON, for {@code bench fleet} (which
 * compares them with what an outside subscriber saw) and for scripts. Written just before the devices stop.
 */
final class SimulateReport {
    private SimulateReport() {
    }

    static Map<String, Object> of(Simulator.Summary s, long[] syncErrorsNanos, double startSeconds) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("devices", s.devices());
        report.put("online", s.online());
        report.put("synced", s.synced());
        report.put("startSeconds", startSeconds);
        report.put("syncP50Micros", quantile(syncErrorsNanos, 0.5) / 1e3);
        report.put("syncP99Micros", quantile(syncErrorsNanos, 0.99) / 1e3);
        report.put("syncMaxMicros", syncErrorsNanos.length == 0 ? 0 : syncErrorsNanos[syncErrorsNanos.length - 1] / 1e3);
        report.put("telemetrySent", s.telemetrySent());
        report.put("telemetryFailed", s.telemetryFailed());
        report.put("telemetrySeen", s.telemetrySeen());
        report.put("reconnects", s.reconnects());
        report.put("backlog", s.backlog());
        report.put("worstSchedulerLagSeconds", s.worstLagNanos() / 1e9);
        return report;
    }

    static void write(Path file, Map<String, Object> report) throws IOException {
        Files.writeString(file, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(report));
    }

    static double quantile(long[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (q * sorted.length))];
    }
}
