package dev.edgekit.tools;

import dev.edgekit.console.EdgekitCommand;
import dev.edgekit.console.LogSetup;
import dev.edgekit.tools.security.CaCommand;
import dev.edgekit.tools.security.ProvisionCommand;
import dev.edgekit.tools.security.RevokeCommand;
import picocli.CommandLine;

/**
 * Entry point of the developer's {@code edgekit} ({@code ./edgekit} in a checkout): the board's commands plus the
 * tools that never ship to a board ({@code simulate}, {@code bench}, {@code ca}, {@code provision}, {@code revoke}, {@code dashboard}).
 */
public final class Main {
    private Main() {
    }

    /** The whole command line: the board's commands, then the tools. */
    public static CommandLine commandLine() {
        return EdgekitCommand.commandLine(new SimulateCommand(), new BenchCommand(), new CaCommand(),
                new ProvisionCommand(), new RevokeCommand(), new DashboardCommand());
    }

    public static void main(String[] args) {
        LogSetup.use(); // logging set up in code, not by a logback.xml
        System.exit(commandLine().execute(args));
    }
}
