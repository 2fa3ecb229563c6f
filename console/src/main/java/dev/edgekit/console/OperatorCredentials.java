package dev.edgekit.console;

import dev.edgekit.protocol.mqtt.MqttSessionBuilder;
import dev.edgekit.protocol.mqtt.MqttTls;
import dev.edgekit.protocol.topic.Ids;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import picocli.CommandLine.Option;

/**
 * How a fleet-reading command (monitor, devices, dashboard) proves who it is on a secured site: the bundle that
 * {@code edgekit provision --role operator} writes ({@code ca.crt} plus {@code client.crt}/{@code client.key}, or
 * {@code password} with the id from {@code agent.yaml}), or the same pieces one by one. Secrets come from files, never
 * from the command line. Every flag is checked before anything connects; a bad one gets one line naming it.
 */
public final class OperatorCredentials {
    @Option(names = "--bundle", paramLabel = "DIR",
            description = "Operator bundle from `edgekit provision --role operator` (ca.crt, client.crt/client.key"
                    + " or password, agent.yaml).")
    Path bundle;

    @Option(names = "--cafile", paramLabel = "FILE", description = "Site CA (PEM) to trust for an ssl:// broker.")
    Path caFile;

    @Option(names = "--cert", paramLabel = "FILE", description = "Client certificate (PEM) for mutual TLS.")
    Path certFile;

    @Option(names = "--key", paramLabel = "FILE", description = "The client certificate's PKCS#8 PEM key.")
    Path keyFile;

    @Option(names = "--username", paramLabel = "ID", description = "Username (the operator's id) for password login.")
    String username;

    @Option(names = "--password-file", paramLabel = "FILE", description = "File whose first line is the password.")
    Path passwordFile;

    /** What was resolved from the flags and the bundle. */
    record Resolved(Path caFile, Path certFile, Path keyFile, String username, Path passwordFile) {
        boolean any() {
            return caFile != null || certFile != null || username != null;
        }
    }

    Resolved resolve() {
        Path ca = caFile;
        Path cert = certFile;
        Path key = keyFile;
        String user = username;
        Path pw = passwordFile;
        if (bundle != null) {
            if (!Files.isDirectory(bundle)) {
                throw new IllegalArgumentException("--bundle: " + bundle + " is not a folder");
            }
            ca = ca != null ? ca : bundle.resolve("ca.crt");
            if (cert == null && Files.exists(bundle.resolve("client.crt"))) {
                cert = bundle.resolve("client.crt");
                key = key != null ? key : bundle.resolve("client.key");
            }
            if (pw == null && Files.exists(bundle.resolve("password"))) {
                pw = bundle.resolve("password");
                user = user != null ? user : bundleId(bundle.resolve("agent.yaml"));
            }
        }
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException(cert == null ? "--key: needs --cert" : "--cert: needs --key");
        }
        if (pw != null && user == null) {
            throw new IllegalArgumentException("--password-file: needs --username");
        }
        if (user != null && !Ids.isValid(user)) {
            throw new IllegalArgumentException("--username: '" + user + "' is not an id ([a-z0-9][a-z0-9-]{0,62})");
        }
        for (var entry : new Object[][] {{"--cafile", ca}, {"--cert", cert}, {"--key", key}, {"--password-file", pw}}) {
            Path file = (Path) entry[1];
            if (file != null && !Files.isReadable(file)) {
                throw new IllegalArgumentException(entry[0] + ": " + file + " does not exist or is not readable");
            }
        }
        if (cert != null && ca == null) {
            throw new IllegalArgumentException("--cert: needs --cafile (TLS)");
        }
        return new Resolved(ca, cert, key, user, pw);
    }

    /** The {@code id:} line of a bundle's agent.yaml (the operator's username). */
    private static String bundleId(Path agentYaml) {
        try {
            for (String line : Files.readAllLines(agentYaml, StandardCharsets.UTF_8)) {
                if (line.startsWith("id:")) {
                    return line.substring(3).strip();
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("--bundle: cannot read " + agentYaml);
        }
        throw new IllegalArgumentException("--bundle: " + agentYaml + " names no id");
    }

    /** Checks the broker URL against the TLS settings and applies them to {@code builder}. */
    static void apply(Resolved r, String broker, MqttSessionBuilder builder) {
        boolean ssl = broker.startsWith("ssl://");
        if (ssl && r.caFile() == null) {
            throw new IllegalArgumentException("--broker " + broker + ": TLS needs --cafile or --bundle");
        }
        if (!ssl && r.caFile() != null) {
            throw new IllegalArgumentException("--cafile: the broker URL must be ssl://HOST:PORT, not " + broker);
        }
        if (r.caFile() != null) {
            MqttTls tls = MqttTls.trusting(r.caFile());
            if (r.certFile() != null) {
                tls = tls.withClientCertificate(r.certFile(), r.keyFile());
            }
            builder.socketFactory(tls.socketFactory());
        }
        if (r.username() != null) {
            byte[] password = null;
            if (r.passwordFile() != null) {
                try {
                    String text = Files.readString(r.passwordFile(), StandardCharsets.UTF_8);
                    int end = text.indexOf('\n');
                    password = (end < 0 ? text : text.substring(0, end)).strip().getBytes(StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new IllegalArgumentException("--password-file: cannot read " + r.passwordFile());
                }
            }
            builder.credentials(r.username(), password);
            if (password != null) {
                Arrays.fill(password, (byte) 0); // the builder keeps its own copy
            }
        }
    }
}
