package dev.edgekit.tools.security;

import dev.edgekit.console.Flags;
import dev.edgekit.protocol.topic.Ids;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code edgekit ca init}: a site CA and the broker's certificate, password, ACL and configuration files. */
@Command(name = "ca", mixinStandardHelpOptions = true, subcommands = CaCommand.Init.class,
        description = "Manage a site's certificate authority.")
public final class CaCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    @Command(name = "init", mixinStandardHelpOptions = true,
            description = {"Create a site CA (ECDSA P-256) and a broker certificate for the given names and addresses,",
                    "an empty CRL, password and ACL files, and mosquitto.conf (from secure.conf) in DIR."})
    static final class Init implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--site", converter = Flags.Id.class, required = true, paramLabel = "S", description = "site id ([a-z0-9][a-z0-9-]*)")
        String site;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "folder for the CA (must not hold one)")
        Path out;

        @Option(names = "--host", paramLabel = "NAME", description = "broker DNS name (repeatable);"
                + " default: this host's name and localhost")
        List<String> hosts = new ArrayList<>();

        @Option(names = "--ip", paramLabel = "ADDR", description = "broker IP address (repeatable); default 127.0.0.1")
        List<String> ips = new ArrayList<>();

        @Option(names = "--port", converter = Flags.Port.class, defaultValue = "8883", description = "broker TLS port (default ${DEFAULT-VALUE})")
        int port;

        @Option(names = "--auth", defaultValue = "password", paramLabel = "password|certificate",
                description = "how clients authenticate (default ${DEFAULT-VALUE}); certificate = mutual TLS")
        String auth;

        @Option(names = "--data", defaultValue = "/var/lib/mosquitto", paramLabel = "DIR",
                description = "Mosquitto's persistence folder in mosquitto.conf (default ${DEFAULT-VALUE})")
        Path data;

        @Option(names = "--ca-days", converter = Flags.PositiveInt.class, defaultValue = "7300", description = "CA validity in days (default ${DEFAULT-VALUE})")
        int caDays;

        @Option(names = "--broker-days", converter = Flags.PositiveInt.class, defaultValue = "1825",
                description = "broker certificate validity in days (default ${DEFAULT-VALUE})")
        int brokerDays;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            try {
                Ids.require(site, "site");
                List<String> names = new ArrayList<>(hosts);
                List<String> addresses = new ArrayList<>(ips);
                if (names.isEmpty() && addresses.isEmpty()) {
                    names.addAll(defaultHosts());
                    addresses.add("127.0.0.1");
                }
                SiteSettings settings = new SiteSettings(site, names, addresses, port, AuthMethod.parse(auth));
                SiteCa ca = SiteCa.init(out, settings, data, Duration.ofDays(caDays), Duration.ofDays(brokerDays),
                        Clock.systemUTC());
                PrintWriter o = spec.commandLine().getOut();
                o.printf("site %s: CA in %s%n", site, ca.dir());
                o.printf("  broker certificate for %s %s, clients authenticate with %s%n", names, addresses,
                        settings.auth().label());
                o.printf("  start the broker:  mosquitto -c %s%n", ca.dir().resolve("mosquitto.conf"));
                o.printf("  agents connect to: %s%n", settings.brokerUrl());
                o.printf("  ca.key is the site's master secret (mode 0600): keep %s off the boards%n", ca.dir());
                o.flush();
                return 0;
            } catch (RuntimeException e) {
                err.println("edgekit ca init: " + e.getMessage());
                err.flush();
                return 1;
            }
        }

        private static List<String> defaultHosts() {
            List<String> names = new ArrayList<>();
            try {
                String host = InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
                if (!host.isBlank() && !host.equals("localhost") && !host.matches("[0-9.:]+")) {
                    names.add(host);
                }
            } catch (UnknownHostException ignored) {
                // no host name: localhost only
            }
            names.add("localhost");
            return names;
        }
    }
}
