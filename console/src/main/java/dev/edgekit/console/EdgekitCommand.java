package dev.edgekit.console;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code edgekit}: the top-level command; see {@code edgekit --help}. */
@Command(name = "edgekit", mixinStandardHelpOptions = true, versionProvider = EdgekitCommand.Version.class,
        description = "Toolkit for fleets of Raspberry Pi-class edge devices over MQTT 5.",
        subcommands = {AgentCommand.class, SimulateCommand.class, MonitorCommand.class, DevicesCommand.class, BenchCommand.class,
            CommandLine.HelpCommand.class})
public final class EdgekitCommand {

    @Option(names = {"-v", "--verbose"}, scope = CommandLine.ScopeType.INHERIT,
            description = "Debug logging, and stack traces with errors.")
    void verbose(boolean on) {
        verbose = on;
        if (on) {
            ((Logger) LoggerFactory.getLogger("dev.edgekit")).setLevel(Level.DEBUG);
        }
    }

    static volatile boolean verbose;

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new EdgekitCommand());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("edgekit " + commandLine.getCommandName() + ": " + oneLine(e));
            if (verbose) {
                e.printStackTrace(commandLine.getErr());
            }
            return 1;
        });
        return cli;
    }

    private static String oneLine(Throwable e) {
        Throwable t = e;
        while ((t instanceof java.util.concurrent.ExecutionException
                || t instanceof java.util.concurrent.CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        String message = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
        return message.lines().findFirst().orElse(message);
    }

    /** Quiets edgekit's own INFO logs for commands with a status line, unless --verbose. */
    static void quietLogs() {
        if (!verbose) {
            ((Logger) LoggerFactory.getLogger("dev.edgekit")).setLevel(Level.WARN);
        }
    }

    static String version() {
        String v = EdgekitCommand.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"edgekit " + version(), "Java " + Runtime.version() + " (" + System.getProperty(
                    "java.vendor") + ")"};
        }
    }
}
