package dev.edgekit.protocol.guard;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;

/**
 * At most one log line per cause per interval, with the count of the lines it held back: a flood of bad messages
 * costs a few lines a minute, not one line each. Causes are bounded ({@link #MAX_CAUSES}); further causes share one.
 * The time of each event is passed in (usually the message's arrival time), so the log reads no clock. Thread-safe.
 */
public final class RateLimitedLog {
    public static final int MAX_CAUSES = 128;
    static final String OTHER = "(other causes)";

    private final Logger log;
    private final Duration interval;
    private final Map<String, Window> windows = new HashMap<>();

    private static final class Window {
        Instant opened;
        long suppressed;
    }

    public RateLimitedLog(Logger log, Duration interval) {
        this.log = Objects.requireNonNull(log, "log");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive: " + interval);
        }
        this.interval = interval;
    }

    /** Logs a WARN line for {@code cause} unless one was logged less than an interval before {@code at}. */
    public void warn(String cause, Instant at, String format, Object... args) {
        long held = admit(cause, at);
        if (held >= 0) {
            log.warn(held == 0 ? format : format + " (" + held + " more like this not logged)", args);
        }
    }

    /** As {@link #warn}, at INFO. */
    public void info(String cause, Instant at, String format, Object... args) {
        long held = admit(cause, at);
        if (held >= 0) {
            log.info(held == 0 ? format : format + " (" + held + " more like this not logged)", args);
        }
    }

    /** As {@link #warn}, at DEBUG. */
    public void debug(String cause, Instant at, String format, Object... args) {
        long held = admit(cause, at);
        if (held >= 0 && log.isDebugEnabled()) {
            log.debug(held == 0 ? format : format + " (" + held + " more like this not logged)", args);
        }
    }

    /** -1 when the line is held back, else the number held back since the last line for this cause. */
    synchronized long admit(String cause, Instant at) {
        String key = windows.size() < MAX_CAUSES || windows.containsKey(cause) ? cause : OTHER;
        Window w = windows.computeIfAbsent(key, k -> new Window());
        if (w.opened != null && at.isBefore(w.opened.plus(interval)) && !at.isBefore(w.opened)) {
            w.suppressed++;
            return -1;
        }
        long held = w.suppressed;
        w.opened = at;
        w.suppressed = 0;
        return held;
    }
}
