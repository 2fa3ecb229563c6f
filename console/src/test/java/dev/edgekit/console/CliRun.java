package dev.edgekit.console;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

/** One {@code edgekit} command line run in this JVM: its exit code and what it printed. */
record CliRun(int exit, String out, String err) {
    /** Runs {@code cmd --broker BROKER --site SITE ARGS…}. */
    static CliRun cmd(String broker, String site, String... args) {
        String[] all = new String[args.length + 5];
        System.arraycopy(new String[] {"cmd", "--broker", broker, "--site", site}, 0, all, 0, 5);
        System.arraycopy(args, 0, all, 5, args.length);
        return of(all);
    }

    /** Runs {@code edgekit ARGS…}, capturing standard output and error (commands run one at a time in a test). */
    static synchronized CliRun of(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        System.setOut(new PrintStream(out, true, UTF_8));
        System.setErr(new PrintStream(err, true, UTF_8));
        try {
            return new CliRun(EdgekitCommand.commandLine().execute(args), out.toString(UTF_8), err.toString(UTF_8));
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
    }
}
