package dev.edgekit.console;

import dev.edgekit.protocol.message.Telemetry;
import dev.edgekit.ubiquitous.registry.DeviceView;
import dev.edgekit.ubiquitous.registry.RegistryStats;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Renders the registry as a fixed-width table (the monitor's view). Pure: the time to measure ages comes in. */
final class FleetTable {
    private FleetTable() {
    }

    static String render(List<DeviceView> devices, RegistryStats stats, Instant now) {
        return render(devices, stats, now, null, List.of());
    }

    // suspicion levels and transitions
    /**
     * The table with the failure detector's verdict: STATE is online/suspect/lost/offline as this consumer judges it,
     * PHI the current suspicion; below, the most recent transitions.
     */
    static String render(List<DeviceView> devices, RegistryStats stats, Instant now,
            dev.edgekit.ubiquitous.detect.LivenessMonitor liveness,
            List<dev.edgekit.ubiquitous.detect.Transition> recent) {
        return render(devices, stats, now, liveness, recent, null);
    }

    /** As above, with a DELTA column: the shadow leaves each device has not applied yet ({@code -}: no shadow). */
    static String render(List<DeviceView> devices, RegistryStats stats, Instant now,
            dev.edgekit.ubiquitous.detect.LivenessMonitor liveness,
            List<dev.edgekit.ubiquitous.detect.Transition> recent,
            dev.edgekit.protocol.shadow.PendingDeltas deltas) {
        StringBuilder out = new StringBuilder();
        if (liveness == null) {
            out.append(table(devices, stats, now));
            return out.toString();
        }
        out.append(String.format(Locale.ROOT, "%-10s %-24s %-8s %6s %8s  %-28s %5s %s%n", "SITE", "DEVICE", "STATE",
                "PHI", "HB AGE", "LAST TELEMETRY", "DELTA", "REFUSED"));
        java.util.Map<String, Long> counts = new java.util.TreeMap<>();
        for (DeviceView d : devices) {
            var a = liveness.assess(d.site(), d.id(), now);
            String state = a.map(x -> x.state().wire()).orElse(d.status().name().toLowerCase(Locale.ROOT));
            counts.merge(state, 1L, Long::sum);
            String phi = a.map(x -> x.suspicion() >= 100 ? ">100" : String.format(Locale.ROOT, "%.1f",
                    x.suspicion())).orElse("-");
            String telemetry = d.latest().values().stream().sorted((x, y) -> x.channel().compareTo(y.channel()))
                    .map(FleetTable::reading).collect(Collectors.joining(" "));
            int pending = deltas == null ? -1 : deltas.pending(d.site(), d.id());
            out.append(String.format(Locale.ROOT, "%-10s %-24s %-8s %6s %8s  %-28s %5s %s%n", clip(d.site(), 10),
                    clip(d.id(), 24), state, phi, d.heartbeatAge(now).map(FleetTable::age).orElse("-"),
                    clip(telemetry.isEmpty() ? "-" : telemetry, 28), pending < 0 ? "-" : Integer.toString(pending),
                    refused(d)));
        }
        out.append(String.format(Locale.ROOT, "%d devices %s · %d messages, %d malformed, %d bad topics,"
                + " %d stale ignored · detector %s%n", devices.size(), counts, stats.accepted(), stats.malformed(),
                stats.badTopics(), stats.staleStates(), liveness.config().kind() == dev.edgekit.ubiquitous.detect
                        .DetectorConfig.Kind.PHI_ACCRUAL ? "phi ≥ " + liveness.config().threshold()
                        : "timeout " + liveness.config().suspectAfter().toMillis() + " ms"));
        if (!recent.isEmpty()) {
            out.append("recent transitions:\n");
            recent.forEach(t -> out.append("  ").append(t).append('\n'));
        }
        return out.toString();
    }

    /** The non-zero refusal counters of the device's last heartbeat (docs/hardening.md), e.g. {@code busy=3 stamps=1}. */
    static String refused(DeviceView d) {
        if (d.lastHeartbeat() == null) {
            return "-";
        }
        String nonZero = d.lastHeartbeat().refused().entrySet().stream().filter(e -> e.getValue() > 0)
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
        return nonZero.isEmpty() ? "-" : nonZero;
    }

    private static String table(List<DeviceView> devices, RegistryStats stats, Instant now) {
        StringBuilder out = new StringBuilder();
        String header = String.format(Locale.ROOT, "%-10s %-24s %-8s %8s  %-28s %s", "SITE", "DEVICE", "STATE",
                "HB AGE", "LAST TELEMETRY", "HLC");
        out.append(header).append('\n');
        for (DeviceView d : devices) {
            String age = d.heartbeatAge(now).map(FleetTable::age).orElse("-");
            String telemetry = d.latest().values().stream().sorted((a, b) -> a.channel().compareTo(b.channel()))
                    .map(FleetTable::reading).collect(Collectors.joining(" "));
            out.append(String.format(Locale.ROOT, "%-10s %-24s %-8s %8s  %-28s %s", clip(d.site(), 10),
                    clip(d.id(), 24), d.status().name().toLowerCase(Locale.ROOT), age,
                    clip(telemetry.isEmpty() ? "-" : telemetry, 28), d.lastHlc() == null ? "-" : d.lastHlc()))
                    .append('\n');
        }
        long online = devices.stream().filter(d -> d.status() == DeviceView.Status.ONLINE).count();
        out.append(String.format(Locale.ROOT, "%d devices, %d online, %d offline · %d messages, %d malformed,"
                + " %d bad topics, %d stale states ignored, %d duplicates dropped, %d missing%n", devices.size(), online,
                devices.stream().filter(d -> d.status() == DeviceView.Status.OFFLINE).count(), stats.accepted(),
                stats.malformed(), stats.badTopics(), stats.staleStates(), stats.duplicates(), stats.missing()));
        return out.toString();
    }

    private static String reading(Telemetry t) {
        return t.channel() + "=" + String.format(Locale.ROOT, "%.2f", t.value()) + t.unit();
    }

    static String age(Duration d) {
        long ms = Math.max(0, d.toMillis());
        return ms < 10_000 ? String.format(Locale.ROOT, "%.1fs", ms / 1000.0)
                : ms < 120_000 ? ms / 1000 + "s" : ms / 60_000 + "m";
    }

    private static String clip(String s, int width) {
        return s.length() <= width ? s : s.substring(0, width - 1) + "…";
    }
}
