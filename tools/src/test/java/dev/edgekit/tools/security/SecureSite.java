package dev.edgekit.tools.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgekit.protocol.mqtt.MqttTls;
import dev.edgekit.testkit.MosquittoProcess;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/**
 * A site for tests, made through the real commands: {@code ca init} in a temporary folder, {@code provision} for each
 * identity, and a real Mosquitto started with {@code mosquitto/secure.conf} pointing at the site's files.
 */
final class SecureSite implements AutoCloseable {
    final Path root;
    final Path caDir;
    final String site;
    private final List<MosquittoProcess> brokers = new ArrayList<>();

    SecureSite(Path root, String site, String... initArgs) {
        this.root = root;
        this.site = site;
        this.caDir = root.resolve("ca-" + site);
        List<String> args = new ArrayList<>(List.of("init", "--site", site, "--out", caDir.toString(), "--data",
                root.resolve("data").toString()));
        args.addAll(List.of(initArgs));
        Result result = run(new CaCommand(), args.toArray(String[]::new));
        assertThat(result.code()).as(result.toString()).isZero();
    }

    record Result(int code, String out, String err) {
    }

    static Result run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    /** Provisions {@code id} and returns its bundle folder. */
    Path provision(String id, String role, String auth) {
        Path bundle = root.resolve("bundle-" + site + "-" + id);
        Result result = run(new ProvisionCommand(), "--site", site, "--device", id, "--role", role, "--auth", auth,
                "--ca", caDir.toString(), "--out", bundle.toString(), "--install-dir", bundle.toString());
        assertThat(result.code()).as(result.toString()).isZero();
        return bundle;
    }

    void revoke(String id) {
        Result result = run(new RevokeCommand(), "--device", id, "--ca", caDir.toString());
        assertThat(result.code()).as(result.toString()).isZero();
    }

    /** Mosquitto with secure.conf and this site's files; with {@code mutualTls}, certificates instead of passwords. */
    MosquittoProcess startBroker(boolean mutualTls) {
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("cafile", caDir.resolve("ca.crt").toString());
        overrides.put("certfile", caDir.resolve("broker.crt").toString());
        overrides.put("keyfile", caDir.resolve("broker.key").toString());
        overrides.put("crlfile", caDir.resolve("crl.pem").toString());
        overrides.put("password_file", caDir.resolve("passwd").toString());
        overrides.put("acl_file", caDir.resolve("acl").toString());
        if (mutualTls) {
            overrides.put("require_certificate", "true");
            overrides.put("use_identity_as_username", "true");
        }
        MosquittoProcess broker = MosquittoProcess.start("mosquitto/secure.conf", overrides);
        brokers.add(broker);
        return broker;
    }

    static String tlsUri(MosquittoProcess broker) {
        return "ssl://127.0.0.1:" + broker.port();
    }

    /** Trust this site's CA; with the bundle's certificate if it has one. */
    static MqttTls tls(Path caFile, Path bundle) {
        MqttTls tls = MqttTls.trusting(caFile);
        return Files.exists(bundle.resolve("client.crt"))
                ? tls.withClientCertificate(bundle.resolve("client.crt"), bundle.resolve("client.key"))
                : tls;
    }

    MqttTls tls(Path bundle) {
        return tls(caDir.resolve("ca.crt"), bundle);
    }

    static byte[] password(Path bundle) {
        try {
            return Files.readAllBytes(bundle.resolve("password"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGHUP: Mosquitto re-reads its password and ACL files. */
    static void reload(MosquittoProcess broker) {
        try {
            Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(broker.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -HUP failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String text(byte[] payload) {
        return new String(payload, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        brokers.forEach(MosquittoProcess::close);
    }
}
