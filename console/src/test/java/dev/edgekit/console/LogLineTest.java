package dev.edgekit.console;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link LogLine} writes what the pattern it replaces wrote, stack traces included, in any zone. */
class LogLineTest {
    private static final String PATTERN = "%d{HH:mm:ss.SSS, ZONE} %-5level %logger{20} - %msg%n";

    @ParameterizedTest(name = "{0} {1} at {2} in {3}")
    @CsvSource({
        "INFO, dev.edgekit.agent.outbox.Outbox, 2026-12-04T07:05:09.007Z, UTC",
        "WARN, dev.edgekit.agent.runtime.CommandHandler, 2026-12-04T23:59:59.999Z, Asia/Kolkata",
        "ERROR, Main, 2026-03-29T00:30:00.000Z, Europe/Berlin",
        "DEBUG, a.very.long.package.name.that.cannot.be.shortened.enough.Klass, 1970-01-01T00:00:00.000Z, America/St_Johns",
        "TRACE, org.eclipse.paho.mqttv5.client.internal.ClientState, 2026-07-01T12:00:00.123Z, Pacific/Chatham",
    })
    void writesWhatThePatternWrote(String level, String logger, String at, String zone) {
        LoggerContext context = new LoggerContext();
        LoggingEvent event = event(context, logger, Level.toLevel(level), Instant.parse(at), null);
        assertThat(layout(context, zone).doLayout(event)).isEqualTo(pattern(context, zone).doLayout(event));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"UTC", "Australia/Adelaide"})
    void writesAStackTraceAsThePatternDid(String zone) {
        LoggerContext context = new LoggerContext();
        Exception thrown = new IllegalStateException("outer", new java.io.IOException("disk full"));
        LoggingEvent event = event(context, "dev.edgekit.agent.outbox.Outbox", Level.ERROR,
                Instant.parse("2026-12-04T10:00:00Z"), thrown);
        String line = layout(context, zone).doLayout(event);
        assertThat(line).isEqualTo(pattern(context, zone).doLayout(event))
                .contains("java.lang.IllegalStateException: outer", "Caused by: java.io.IOException: disk full");
    }

    private static LoggingEvent event(LoggerContext context, String logger, Level level, Instant at, Throwable t) {
        Logger log = context.getLogger(logger);
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), log, level, "sent {} of {}", t,
                new Object[] {3, "five"});
        event.setTimeStamp(at.toEpochMilli());
        return event;
    }

    private static LogLine layout(LoggerContext context, String zone) {
        LogLine layout = new LogLine(ZoneId.of(zone));
        layout.setContext(context);
        layout.start();
        return layout;
    }

    private static PatternLayout pattern(LoggerContext context, String zone) {
        PatternLayout layout = new PatternLayout();
        layout.setContext(context);
        layout.setPattern(PATTERN.replace("ZONE", zone));
        layout.start();
        return layout;
    }
}
