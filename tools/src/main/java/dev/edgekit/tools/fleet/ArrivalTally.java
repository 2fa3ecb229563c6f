package dev.edgekit.tools.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What an independent subscriber saw of a fleet, one line at a time, in the format of
 * {@code mosquitto_sub -V mqttv5 -F '%U %t %p'}: arrival time (epoch seconds with nanoseconds), topic, payload.
 *
 * <p>It trusts nothing it reads: a line that does not parse, a payload without the fields it needs, a device id that
 * does not match the topic, each is counted as malformed and skipped. Per device it keeps the sequence numbers of
 * telemetry and events (they share one per-device sequence, the outbox's), the arrival of each, the payload time of
 * each sample per channel, the first birth and every heartbeat arrival. {@link #result} turns that into the figures
 * of {@link FleetFigures}. One reader thread feeds it; {@link #born} and {@link #lastFirstBirth} may be read from
 * another while it does, {@link #result} only after it stopped.
 */
public final class ArrivalTally {
    /** At most this many devices are tracked; more ids than that is someone else's traffic or an attack. */
    static final int MAX_DEVICES = 100_000;
    private static final String ROOT = "edgekit/v1/";

    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, DeviceLog> devices = new HashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger born = new java.util.concurrent.atomic.AtomicInteger();
    private volatile double lastFirstBirth;
    private long lines;
    private long malformed;
    private long ignored;

    /** Feeds one output line of the subscriber. */
    public void accept(String line) {
        lines++;
        int a = line.indexOf(' ');
        int b = a < 0 ? -1 : line.indexOf(' ', a + 1);
        if (b < 0) {
            malformed++;
            return;
        }
        try {
            double arrival = Double.parseDouble(line.substring(0, a));
            String topic = line.substring(a + 1, b);
            if (!topic.startsWith(ROOT)) {
                ignored++;
                return;
            }
            String[] levels = topic.substring(ROOT.length()).split("/", -1);
            if (levels.length < 3 || levels[1].startsWith("$")) {
                ignored++; // time sync, elections: not the fleet's data
                return;
            }
            String id = levels[1];
            DeviceLog device = devices.get(id);
            if (device == null) {
                if (devices.size() >= MAX_DEVICES) {
                    malformed++;
                    return;
                }
                device = new DeviceLog();
                devices.put(id, device);
            }
            String kind = levels[2];
            if (kind.equals("heartbeat")) {
                device.heartbeats.add(arrival);
                return;
            }
            if (!kind.equals("state") && !kind.equals("telemetry") && !kind.equals("event")) {
                ignored++;
                return;
            }
            JsonNode payload = json.readTree(line.substring(b + 1));
            if (!id.equals(payload.path("id").asText(id))) {
                malformed++;
                return;
            }
            switch (kind) {
                case "state" -> {
                    boolean unborn = device.firstBirth == 0;
                    device.state(payload.path("status").asText(""), payload.path("birthSeq").asLong(-1), arrival);
                    if (unborn && device.firstBirth > 0) {
                        lastFirstBirth = Math.max(lastFirstBirth, arrival);
                        born.incrementAndGet();
                    }
                }
                case "telemetry" -> {
                    long seq = requireSeq(payload);
                    device.entry(seq, arrival);
                    device.sample(payload.path("channel").asText("?"), Instant.parse(payload.path("time").asText()));
                }
                default -> device.entry(requireSeq(payload), arrival);
            }
        } catch (RuntimeException | java.io.IOException e) {
            malformed++;
        }
    }

    private static long requireSeq(JsonNode payload) {
        JsonNode seq = payload.get("seq");
        if (seq == null || !seq.canConvertToLong()) {
            throw new IllegalArgumentException("no seq");
        }
        return seq.asLong();
    }

    /** Lines read so far. */
    public long lines() {
        return lines;
    }

    /** Devices whose first birth has been seen (safe to read from any thread). */
    public int born() {
        return born.get();
    }

    /** The arrival of the last first birth (epoch seconds), or 0 (safe to read from any thread). */
    public double lastFirstBirth() {
        return lastFirstBirth;
    }

    /**
     * The figures.
     *
     * @param expectedDevices   devices that should have been seen
     * @param samplingSeconds   the sampling interval
     * @param heartbeatSeconds  the heartbeat interval
     * @param stopAt            when the fleet was told to stop (epoch seconds): gaps that closed in the
     *                          {@code inFlightSeconds} before it were entries in flight, not losses
     * @param warmupSeconds     samples this early in a channel's series are left out of the lag (clock steps)
     */
    public FleetFigures.Delivery result(int expectedDevices, double samplingSeconds, double heartbeatSeconds,
            double stopAt, double inFlightSeconds, double warmupSeconds) {
        long unique = 0, duplicates = 0, gaps = 0, inFlight = 0, suspicions = 0, falseOffline = 0;
        List<Double> lags = new ArrayList<>();
        List<Double> lagsUp = new ArrayList<>(); // once every device was born: the fleet's steady state
        for (DeviceLog d : devices.values()) {
            DeviceLog.Seqs s = d.seqs(stopAt - inFlightSeconds);
            unique += s.unique();
            duplicates += s.duplicates();
            gaps += s.gaps();
            inFlight += s.inFlight();
            suspicions += d.suspicions(heartbeatSeconds * 3, stopAt);
            falseOffline += d.offlinesBefore(stopAt - inFlightSeconds);
            d.lags(samplingSeconds, warmupSeconds, lags);
            d.lags(samplingSeconds, warmupSeconds, lastFirstBirth, lagsUp);
        }
        double[] sorted = lags.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double[] sortedUp = lagsUp.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new FleetFigures.Delivery(expectedDevices, born(), unique, duplicates, gaps, inFlight,
                unique + gaps == 0 ? 0 : 100.0 * unique / (unique + gaps), suspicions, falseOffline,
                quantile(sorted, 0.5), quantile(sorted, 0.99), sorted.length == 0 ? 0 : sorted[sorted.length - 1],
                quantile(sortedUp, 0.99), malformed);
    }

    static double quantile(double[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (q * sorted.length))];
    }
}
