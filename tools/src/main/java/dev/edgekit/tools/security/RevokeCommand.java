package dev.edgekit.tools.security;

import dev.edgekit.console.Flags;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code edgekit revoke}: takes an identity's access away. */
@Command(name = "revoke", mixinStandardHelpOptions = true,
        description = {"Remove an identity from the broker's password and ACL files and add its certificate to the",
                "CRL. Reload the broker afterwards (SIGHUP: Mosquitto re-reads passwords, ACL and CRL)."})
public final class RevokeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"--device", "--id"}, converter = Flags.Id.class, required = true, paramLabel = "D", description = "identity id")
    String device;

    @Option(names = "--ca", defaultValue = "${env:EDGEKIT_CA:-edgekit-ca}", paramLabel = "DIR",
            description = "the site CA folder (default $EDGEKIT_CA or ./edgekit-ca)")
    Path ca;

    @Override
    public Integer call() {
        try {
            SiteCa siteCa = SiteCa.open(ca, Clock.systemUTC());
            Identity revoked = siteCa.revoke(device);
            PrintWriter o = spec.commandLine().getOut();
            o.printf("revoked %s %s of site %s (certificate serial %s)%n", revoked.role().label(), device,
                    siteCa.settings().site(), revoked.serial().toString(16));
            o.printf("  apply it:  kill -HUP $(cat %s)   (or: systemctl reload mosquitto)%n",
                    BrokerUser.runDir(siteCa.dir()).resolve("mosquitto.pid"));
            o.printf("  Mosquitto then refuses %s; a connected password session is closed at once, an open"
                    + " certificate session at its next reconnect (restart the broker to cut it now)%n", device);
            o.flush();
            return 0;
        } catch (RuntimeException e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("edgekit revoke: " + e.getMessage());
            err.flush();
            return 1;
        }
    }
}
