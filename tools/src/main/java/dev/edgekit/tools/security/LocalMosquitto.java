package dev.edgekit.tools.security;

import dev.edgekit.tools.LoopbackPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway Mosquitto for {@link TlsBenchmark}: one broker, a plain and a TLS listener on free loopback ports, both
 * with the site's password file and ACL, so the two transports differ in nothing else.
 */
final class LocalMosquitto implements AutoCloseable {
    private static final List<Path> BINARIES = List.of(Path.of("/usr/sbin/mosquitto"), Path.of("/usr/bin/mosquitto"),
            Path.of("/usr/local/sbin/mosquitto"));

    final int plainPort;
    final int tlsPort;
    private final Process process;
    private final Path log;

    LocalMosquitto(SiteCa site) {
        Path dir = site.dir();
        this.plainPort = LoopbackPorts.free();
        this.tlsPort = LoopbackPorts.free();
        this.log = dir.resolve("mosquitto.log");
        String config = String.join("\n",
                "per_listener_settings false",
                "allow_anonymous false",
                "password_file " + site.passwordFile(),
                "acl_file " + site.aclFile(),
                "persistence false",
                "set_tcp_nodelay true",
                "log_dest file " + log,
                "listener " + plainPort + " 127.0.0.1",
                "use_username_as_clientid true",
                "listener " + tlsPort + " 127.0.0.1",
                "use_username_as_clientid true",
                "cafile " + dir.resolve("ca.crt"),
                "certfile " + dir.resolve("broker.crt"),
                "keyfile " + dir.resolve("broker.key"),
                "tls_version tlsv1.2",
                "root".equals(System.getProperty("user.name")) ? "user root" : "",
                "");
        Path binary = BINARIES.stream().filter(Files::isExecutable).findFirst().orElseThrow(
                () -> new IllegalStateException("mosquitto is not installed (apt-get install mosquitto)"));
        try {
            Path file = dir.resolve("bench-mosquitto.conf");
            SecureFiles.writePublic(file, config);
            this.process = new ProcessBuilder(binary.toString(), "-c", file.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mosquitto.out").toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start mosquitto", e);
        }
        LoopbackPorts.awaitListening(plainPort, process, Duration.ofSeconds(15));
        LoopbackPorts.awaitListening(tlsPort, process, Duration.ofSeconds(15));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
