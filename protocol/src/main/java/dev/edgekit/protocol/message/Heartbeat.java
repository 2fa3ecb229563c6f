package dev.edgekit.protocol.message;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * Sent every heartbeat interval (QoS 0, not retained).
 *
 * @param seq           heartbeat counter within the session, from 0
 * @param time          the device's disciplined time when sent
 * @param uptimeSeconds seconds since the agent started
 * @param clock         the clock synchronisation state
 * @param outbox        durable outbox depth and drops
 * @param degraded      configured parts currently failing, each naming its config entry
 * @param refused       what the device refused or could not answer since it started, by cause (e.g. {@code stamps},
 *                      {@code badCommands}, {@code misdirected}, {@code busy}, {@code undelivered}); at most
 *                      {@link #MAX_REFUSED_CAUSES} entries, absent in heartbeats of older agents (empty here)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Heartbeat(String id, long seq, long birthSeq, Instant time, long uptimeSeconds, ClockStatus clock,
        OutboxStatus outbox, List<String> degraded, java.util.Map<String, Long> refused) implements Message {
    public static final int MAX_REFUSED_CAUSES = 16;

    /** Without refusal counters. */
    public Heartbeat(String id, long seq, long birthSeq, Instant time, long uptimeSeconds, ClockStatus clock,
            OutboxStatus outbox, List<String> degraded) {
        this(id, seq, birthSeq, time, uptimeSeconds, clock, outbox, degraded, null);
    }

    public Heartbeat {
        refused = refused == null ? java.util.Map.of() : new java.util.TreeMap<>(refused);
        if (refused.size() > MAX_REFUSED_CAUSES) {
            throw new IllegalArgumentException("at most " + MAX_REFUSED_CAUSES + " refusal causes, got "
                    + refused.size());
        }
        refused = java.util.Collections.unmodifiableMap(refused);
        Fields.requireId(id);
        Fields.requireNonNegative(seq, "seq");
        Fields.requireNonNegative(birthSeq, "birthSeq");
        Fields.require(time, "time");
        Fields.requireNonNegative(uptimeSeconds, "uptimeSeconds");
        clock = clock == null ? ClockStatus.UNSYNCHRONISED : clock;
        outbox = outbox == null ? OutboxStatus.EMPTY : outbox;
        degraded = degraded == null ? List.of() : List.copyOf(degraded);
    }

    /**
     * @param offsetMicros     the correction still needed at the last clock update: disciplined − estimated true time
     * @param errorBoundMicros the bound on the disciplined clock's error now (NTP's synchronisation distance); absent
     *                         when no bound is known (unsynchronised)
     * @param stratum          0 when unsynchronised, 1 for a reference, source + 1 otherwise
     * @param server           the selected time server's id, null when none
     * @param mode             the synchronisation mode (ntp, cristian, bounded, berkeley, reference) or "none"
     * @param frequencyPpm     the estimated drift of the device oscillator (+200 = 200 µs/s fast)
     * @param chrony           the chrony refclock feed ({@code time.chrony}): "accepting", or why not (withheld,
     *                         no socket, refused); absent when not configured
     * @param ntp              the NTP server's counts ({@code time.ntpPort}); absent when not serving NTP
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ClockStatus(double offsetMicros, Double errorBoundMicros, int stratum, String server, String mode,
            double frequencyPpm, String chrony, NtpCounts ntp) {
        /** No bound is known: {@code errorBoundMicros} is absent from the JSON (null here), never "Infinity". */
        public static final ClockStatus UNSYNCHRONISED = new ClockStatus(0, null, 0, null, "none", 0);

        public ClockStatus {
            if (errorBoundMicros != null && !Double.isFinite(errorBoundMicros)) {
                errorBoundMicros = null;
            }
            if (chrony != null && chrony.length() > 200) {
                chrony = chrony.substring(0, 200);
            }
        }

        /** Without the chrony feed and the NTP server. */
        public ClockStatus(double offsetMicros, Double errorBoundMicros, int stratum, String server, String mode,
                double frequencyPpm) {
            this(offsetMicros, errorBoundMicros, stratum, server, mode, frequencyPpm, null, null);
        }

        public ClockStatus withTimeServices(String newChrony, NtpCounts newNtp) {
            return new ClockStatus(offsetMicros, errorBoundMicros, stratum, server, mode, frequencyPpm, newChrony, newNtp);
        }
    }

    /** What an agent's NTP server answered and refused since it started (refused = dropped, all reasons). */
    public record NtpCounts(long served, long kissed, long dropped) {}

    public record OutboxStatus(long depth, long dropped) {
        public static final OutboxStatus EMPTY = new OutboxStatus(0, 0);
    }
}
