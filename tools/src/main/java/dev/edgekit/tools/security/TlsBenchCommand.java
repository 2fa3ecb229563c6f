package dev.edgekit.tools.security;

import dev.edgekit.console.Flags;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code edgekit bench tls}: TLS against plain TCP through a throwaway local Mosquitto. */
@Command(name = "tls", mixinStandardHelpOptions = true,
        description = {"TLS handshake time and MQTT request/response latency with TLS, side by side with plain TCP,",
                "through one throwaway Mosquitto on loopback (needs /usr/sbin/mosquitto)."})
public final class TlsBenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--connects", converter = Flags.PositiveInt.class, defaultValue = "500", description = "connections per transport (default ${DEFAULT-VALUE})")
    int connects;

    @Option(names = "--exchanges", converter = Flags.PositiveInt.class, defaultValue = "5000",
            description = "request/response exchanges per transport (default ${DEFAULT-VALUE})")
    int exchanges;

    @Override
    public Integer call() {
        TlsBenchmark.Report report = TlsBenchmark.run(connects, exchanges);
        spec.commandLine().getOut().print(report.table());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
