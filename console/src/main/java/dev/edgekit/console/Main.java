package dev.edgekit.console;

import picocli.CommandLine;

/** Entry point of the {@code edgekit} command. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // our own name: the embedded broker's jar carries a logback.xml too, and logback warns about the pair
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "edgekit-logback.xml");
        }
        System.exit(EdgekitCommand.commandLine().execute(args));
    }
}
