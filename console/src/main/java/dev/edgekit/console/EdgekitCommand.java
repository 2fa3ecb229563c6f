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
        subcommands = {AgentCommand.class, MonitorCommand.class, DevicesCommand.class, CmdCommand.class,
            ShadowCommand.class, TimeServerCommand.class})
public final class EdgekitCommand {

    @Option(names = {"-v", "--verbose"}, scope = CommandLine.ScopeType.INHERIT,
            description = "Debug logging, and stack traces with errors.")
    void verbose(boolean on) {
        if (on) {
            beVerbose();
        } else {
            verbose = false;
        }
    }

    /** What {@code --verbose} does: debug logging, and stack traces with errors. */
    static void beVerbose() {
        verbose = true;
        ((Logger) LoggerFactory.getLogger("dev.edgekit")).setLevel(Level.DEBUG);
    }

    private static volatile boolean verbose;

    /** Whether {@code --verbose} was given: stack traces with errors. */
    public static boolean verbose() {
        return verbose;
    }

    /**
     * The board's command line: {@code agent}, {@code monitor}, {@code devices}, {@code time-server}, then
     * {@code extraSubcommands} (the developer tools add theirs: {@code simulate}, {@code bench}, …), then {@code help}.
     */
    public static CommandLine commandLine(Object... extraSubcommands) {
        CommandLine cli = new CommandLine(new EdgekitCommand());
        for (Object sub : extraSubcommands) {
            cli.addSubcommand(sub);
        }
        cli.addSubcommand(new CommandLine.HelpCommand());
        cli.setParameterExceptionHandler(Flags::oneLine); // a bad flag: one line naming it, nothing started
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("edgekit " + commandLine.getCommandName() + ": " + oneLine(e));
            if (verbose) {
                e.printStackTrace(commandLine.getErr());
            }
            return 1;
        });
        return cli;
    }

    static String oneLine(Throwable e) {
        Throwable t = e;
        while ((t instanceof java.util.concurrent.ExecutionException
                || t instanceof java.util.concurrent.CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        String message = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
        return message.lines().findFirst().orElse(message);
    }

    /** Quiets edgekit's own INFO logs for commands with a status line, unless --verbose. */
    public static void quietLogs() {
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

    public static String version() {
        return BUILD.getProperty("version", "dev");
    }

    /** When this build was made (its reproducible-build timestamp); no plausible clock reads earlier. */
    public static java.time.Instant buildTime() {
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
