package dev.edgekit.console;

import java.nio.file.Path;

/**
 * {@code edgekit agent} without picocli. Building the whole command line (every command's model, found by
 * reflection) costs a board agent ~5 MB of RSS and ~0.1 s of start for the life of the process, and the agent's own
 * flags are few. Only plain uses take this path: the flags of {@link AgentCommand}, each with a valid value; help,
 * version, a bad flag or value and anything else go to picocli, so that its answers stay the only ones.
 */
final class AgentLaunch {
    private AgentLaunch() {
    }

    /** The agent command for {@code args}, or null when picocli should handle them. */
    static AgentCommand parse(String[] args) {
        if (args.length == 0 || !args[0].equals("agent")) {
            return null;
        }
        AgentCommand cmd = new AgentCommand();
        try {
            cmd.config = Path.of(AgentCommand.DEFAULT_CONFIG);
            cmd.connectTimeout = new Flags.PositiveDuration().convert(AgentCommand.DEFAULT_CONNECT_TIMEOUT);
            for (int i = 1; i < args.length; i++) {
                String flag = args[i];
                switch (flag) {
                    case "--simulated" -> cmd.simulated = true;
                    case "-v", "--verbose" -> EdgekitCommand.beVerbose();
                    case "-c", "--config", "--broker", "--connect-timeout" -> {
                        if (++i == args.length || args[i].startsWith("-")) {
                            return null;
                        }
                        String value = args[i];
                        switch (flag) {
                            case "--broker" -> cmd.broker = new Flags.BrokerUrl().convert(value);
                            case "--connect-timeout" -> cmd.connectTimeout = new Flags.PositiveDuration().convert(value);
                            default -> cmd.config = Path.of(value);
                        }
                    }
                    default -> {
                        return null;
                    }
                }
            }
        } catch (RuntimeException e) {
            return null; // a bad value: picocli names it
        }
        return cmd;
    }

    /** Runs it as picocli would: exit code 0, or one line naming the error (with --verbose, its stack) and 1. */
    static int run(AgentCommand cmd) {
        try {
            return cmd.call();
        } catch (Exception e) {
            System.err.println("edgekit agent: " + EdgekitCommand.oneLine(e));
            if (EdgekitCommand.verbose()) {
                e.printStackTrace();
            }
            return 1;
        }
    }
}
