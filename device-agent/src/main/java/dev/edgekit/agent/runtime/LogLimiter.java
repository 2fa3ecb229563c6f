package dev.edgekit.agent.runtime;

import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * At most one log line per cause per interval, with the number of occurrences folded into it: a remote party that
 * sends a thousand bad messages a second gets one line a minute, not a thousand. Causes are a small fixed set chosen
 * by the code (never text from the network), so the table stays small.
 */
final class LogLimiter {
    private final InstantSource clock;
    private final long intervalMillis;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    LogLimiter(InstantSource clock, Duration interval) {
        this.clock = clock;
        this.intervalMillis = interval.toMillis();
    }

    /** Logs {@code message} (an SLF4J pattern) at WARN unless this cause was logged within the interval. */
    void warn(Logger log, String cause, String message, Object... args) {
        long now = clock.millis();
        Window w = windows.computeIfAbsent(cause, c -> new Window());
        long suppressed;
        synchronized (w) {
            if (w.lastLoggedMillis != Long.MIN_VALUE && now - w.lastLoggedMillis < intervalMillis) {
                w.suppressed.incrementAndGet();
                return;
            }
            w.lastLoggedMillis = now;
            suppressed = w.suppressed.getAndSet(0);
        }
        if (log.isWarnEnabled()) {
            String suffix = suppressed > 0 ? " (and " + suppressed + " more like it since the last such line)" : "";
            log.warn(message + suffix, args);
        }
    }

    private static final class Window {
        long lastLoggedMillis = Long.MIN_VALUE;
        final AtomicLong suppressed = new AtomicLong();
    }
}
