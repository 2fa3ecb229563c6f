package dev.edgekit.tools.security;

import dev.edgekit.console.Flags;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code edgekit provision}: an identity for a device, time server or operator, and the board's bundle. */
@Command(name = "provision", mixinStandardHelpOptions = true,
        description = {"Issue an identity (a client certificate, or a random password whose hash goes into the",
                "broker's password file), render the ACL and write a ready bundle (agent.yaml, ca.crt, the",
                "credential) into DIR. Secrets are written with mode 0600 and never printed."})
public final class ProvisionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--site", converter = Flags.Id.class, required = true, paramLabel = "S", description = "site id (must be the CA's site)")
    String site;

    @Option(names = {"--device", "--id"}, converter = Flags.Id.class, required = true, paramLabel = "D", description = "identity id")
    String device;

    @Option(names = "--role", defaultValue = "device", paramLabel = "device|time-server|operator|shadow-keeper",
            description = "what the identity may do (default ${DEFAULT-VALUE})")
    String role;

    @Option(names = "--ca", defaultValue = "${env:EDGEKIT_CA:-edgekit-ca}", paramLabel = "DIR",
            description = "the site CA folder (default $EDGEKIT_CA or ./edgekit-ca)")
    Path ca;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "folder for the board's bundle")
    Path out;

    @Option(names = "--auth", paramLabel = "password|certificate",
            description = "default: what the site was initialised with")
    String auth;

    @Option(names = "--broker", converter = Flags.BrokerUrl.class, paramLabel = "URL", description = "broker URL for agent.yaml (repeatable);"
            + " default ssl://<first broker host>:<port>")
    List<String> brokers = new ArrayList<>();

    @Option(names = "--install-dir", defaultValue = "/etc/edgekit", paramLabel = "DIR",
            description = "where the bundle will be on the board (default ${DEFAULT-VALUE})")
    Path installDir;

    @Option(names = "--days", converter = Flags.PositiveInt.class, defaultValue = "1825", description = "certificate validity in days (default ${DEFAULT-VALUE})")
    int days;

    @ArgGroup(exclusive = true)
    PasswordSource passwordSource;

    static final class PasswordSource {
        @Option(names = "--password-file", paramLabel = "FILE",
                description = "use the password in FILE (first line) instead of a random one")
        Path file;

        @Option(names = "--password", interactive = true, arity = "0",
                description = "prompt for the password instead of generating a random one")
        char[] prompted;
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        byte[] password = null;
        try {
            SiteCa siteCa = SiteCa.open(ca, Clock.systemUTC());
            if (!siteCa.settings().site().equals(site)) {
                throw new IllegalArgumentException("the CA in " + siteCa.dir() + " is for site '"
                        + siteCa.settings().site() + "', not '" + site + "'");
            }
            AuthMethod method = auth == null ? siteCa.settings().auth() : AuthMethod.parse(auth);
            password = password(method);
            SiteCa.Provisioned result = siteCa.provision(new SiteCa.Request(device, Role.parse(role), method, out,
                    brokers, installDir, Duration.ofDays(days), password));
            PrintWriter o = spec.commandLine().getOut();
            o.printf("%s %s of site %s (%s, certificate serial %s)%n", result.identity().role().label(), device, site,
                    method.label(), result.identity().serial().toString(16));
            o.printf("  bundle: %s%n", result.bundle());
            result.files().forEach(f -> o.printf("    %s%n", result.bundle().relativize(f)));
            o.printf("  broker files updated in %s: %s, acl, crl.pem%n", siteCa.dir(),
                    method == AuthMethod.PASSWORD ? "passwd" : "(passwd unchanged)");
            o.printf("  reload the broker to apply:  kill -HUP $(cat %s)   (or: systemctl reload mosquitto)%n",
                    BrokerUser.runDir(siteCa.dir()).resolve("mosquitto.pid"));
            o.printf("ACL lines for %s:%n%s", device, result.aclLines());
            o.flush();
            return 0;
        } catch (RuntimeException e) {
            err.println("edgekit provision: " + e.getMessage());
            err.flush();
            return 1;
        } finally {
            MosquittoPasswords.wipe(password);
            if (passwordSource != null && passwordSource.prompted != null) {
                Arrays.fill(passwordSource.prompted, '\0');
            }
        }
    }

    private byte[] password(AuthMethod method) {
        if (passwordSource == null) {
            return null;
        }
        if (method != AuthMethod.PASSWORD) {
            throw new IllegalArgumentException("--password/--password-file need --auth password");
        }
        byte[] password;
        if (passwordSource.file != null) {
            try {
                String text = Files.readString(passwordSource.file, StandardCharsets.UTF_8);
                int end = text.indexOf('\n');
                password = (end < 0 ? text : text.substring(0, end)).strip().getBytes(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + passwordSource.file, e);
            }
        } else {
            password = new String(passwordSource.prompted).getBytes(StandardCharsets.UTF_8);
        }
        if (password.length < 12) {
            MosquittoPasswords.wipe(password);
            throw new IllegalArgumentException("the password must have at least 12 characters");
        }
        return password;
    }
}
