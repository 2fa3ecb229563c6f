package dev.edgekit.console;

import picocli.CommandLine;

/** Entry point of the {@code edgekit} command. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        LogSetup.use(); // logging set up in code, not by a logback.xml
        AgentCommand agent = AgentLaunch.parse(args);
        System.exit(agent != null ? AgentLaunch.run(agent) : EdgekitCommand.commandLine().execute(args));
    }
}
