package dev.edgekit.console;

import ch.qos.logback.classic.pattern.Abbreviator;
import ch.qos.logback.classic.pattern.TargetLengthBasedClassNameAbbreviator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneRules;

/**
 * The line every edgekit command logs, {@code 12:03:04.567 WARN  d.e.agent.outbox.Outbox - message} and the
 * stack trace if any: what logback's pattern {@code %d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%n} writes, by hand.
 * Logback's {@code PatternLayout} parses its pattern and registers every converter it knows as a lambda: ~140
 * classes, about 1 MB of a board agent's memory, for one fixed format.
 */
final class LogLine extends LayoutBase<ILoggingEvent> {
    private static final int LEVEL_WIDTH = 5;
    private static final long MILLIS_PER_DAY = 86_400_000L;

    private final Abbreviator abbreviator = new TargetLengthBasedClassNameAbbreviator(20);
    private final ZoneRules zone;

    LogLine(ZoneId zone) {
        this.zone = zone.getRules();
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(128);
        time(line, event.getTimeStamp());
        String level = event.getLevel().toString();
        line.append(' ').append(level);
        line.repeat(' ', Math.max(0, LEVEL_WIDTH - level.length()));
        line.append(' ').append(abbreviator.abbreviate(event.getLoggerName()))
                .append(" - ").append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            line.append(ThrowableProxyUtil.asString(thrown)); // ends with a line separator
        }
        return line.toString();
    }

    /** HH:mm:ss.SSS in the zone given at construction (the host's: a log line is read by a person there). */
    private void time(StringBuilder line, long epochMillis) {
        long offset = zone.getOffset(Instant.ofEpochMilli(epochMillis)).getTotalSeconds() * 1000L;
        long ofDay = Math.floorMod(epochMillis + offset, MILLIS_PER_DAY);
        digits(line, ofDay / 3_600_000, 2).append(':');
        digits(line, ofDay / 60_000 % 60, 2).append(':');
        digits(line, ofDay / 1000 % 60, 2).append('.');
        digits(line, ofDay % 1000, 3);
    }

    private static StringBuilder digits(StringBuilder line, long value, int width) {
        String text = Long.toString(value);
        return line.repeat('0', width - text.length()).append(text);
    }
}
