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
        subcommands = {AgentCommand.class, SimulateCommand.class, MonitorCommand.class, DevicesCommand.class,
            TimeServerCommand.class, BenchCommand.class, dev.edgekit.console.security.CaCommand.class,
            dev.edgekit.console.security.ProvisionCommand.class, dev.edgekit.console.security.RevokeCommand.class,
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

    private static final java.util.Properties BUILD = new java.util.Properties();

    static {
        try (var in = EdgekitCommand.class.getResourceAsStream("/edgekit-build.properties")) {
            if (in != null) {
                BUILD.load(in);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static String version() {
        return BUILD.getProperty("version", "dev");
    }

    /** When this build was made (its reproducible-build timestamp); no plausible clock reads earlier. */
    static java.time.Instant buildTime() {
        return java.time.Instant.parse(BUILD.getProperty("build.time", "2026-01-01T00:00:00Z"));
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"edgekit " + version(), "Java " + Runtime.version() + " (" + System.getProperty(
                    "java.vendor") + ")"};
        }
    }
}
