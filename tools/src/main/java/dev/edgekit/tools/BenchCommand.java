package dev.edgekit.tools;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code edgekit bench …}: benchmarks that print figures. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks that print figures.",
        subcommands = {StartupBench.class, SyncBench.class, OutboxBench.class, DetectBench.class, NtpBench.class,
            dev.edgekit.tools.fleet.FleetBench.class, dev.edgekit.tools.fuzz.FuzzBench.class,
            dev.edgekit.tools.security.TlsBenchCommand.class, CommandLine.HelpCommand.class})
final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
