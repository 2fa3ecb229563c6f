package dev.edgekit.console;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * edgekit's logging, set up in code (found by logback as a service): no logback.xml is read, so neither Joran nor
 * the JDK's XML parser is loaded (about 460 classes, ~3 MB of a board agent's memory), and lines are written by
 * {@link LogLine}, not a pattern layout. Logs go to stderr so that
 * tables and JSON on stdout stay clean; the systemd journal takes stderr. Only for the command line ({@link #use()}
 * from its {@code main}): tests keep testkit's {@code logback-test.xml}, and a file named by
 * {@code -Dlogback.configurationFile} still wins.
 */
public final class LogSetup extends ContextAwareBase implements Configurator {
    private static volatile boolean used;

    public LogSetup() {
        // ServiceLoader needs a public no-argument constructor
    }

    /** Called by a {@code main} before anything logs. */
    public static void use() {
        used = true;
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (!used || System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        LogLine layout = new LogLine(java.time.ZoneId.systemDefault());
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        ConsoleAppender<ILoggingEvent> err = new ConsoleAppender<>();
        err.setContext(context);
        err.setName("ERR");
        err.setTarget("System.err");
        err.setEncoder(encoder);
        err.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(err);
        for (String quiet : new String[] {"com.hivemq", "migrations", "com.pi4j", "io.netty", "org.jboss", "oshi"}) {
            context.getLogger(quiet).setLevel(Level.WARN);
        }
        // Pi4J's board detection logs ERROR lines on every simulated board (no /proc/device-tree/model); not ours
        context.getLogger("com.pi4j.boardinfo").setLevel(Level.OFF);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
