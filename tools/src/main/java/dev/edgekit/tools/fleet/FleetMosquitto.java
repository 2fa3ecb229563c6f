package dev.edgekit.tools.fleet;

import dev.edgekit.tools.LoopbackPorts;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway Mosquitto for a fleet run: {@code broker-config}'s {@code mosquitto/dev.conf} (from the classpath) on a
 * free loopback port, logging into a private folder.
 */
final class FleetMosquitto implements AutoCloseable {
    private static final List<Path> BINARIES = List.of(Path.of("/usr/sbin/mosquitto"), Path.of("/usr/bin/mosquitto"),
            Path.of("/usr/local/sbin/mosquitto"));

    final int port;
    private final Process process;

    FleetMosquitto(Path dir) {
        this.port = freePort();
        Path binary = BINARIES.stream().filter(Files::isExecutable).findFirst().orElseThrow(
                () -> new IllegalStateException("mosquitto is not installed (apt-get install mosquitto); or pass"
                        + " --broker tcp://HOST:PORT"));
        try {
            Path file = dir.resolve("mosquitto.conf");
            Files.writeString(file, config(resource("mosquitto/dev.conf"), port, dir.resolve("mosquitto.log")));
            this.process = new ProcessBuilder(binary.toString(), "-c", file.toString()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("mosquitto.out").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start mosquitto", e);
        }
        awaitPort(port, process);
    }

    /** The template with its listener moved to {@code port} and its log into {@code log}. */
    static String config(String template, int port, Path log) {
        List<String> lines = new ArrayList<>();
        for (String line : template.split("\n", -1)) {
            String key = line.strip().startsWith("#") || line.isBlank() ? "" : line.strip().split("\\s+")[0];
            switch (key) {
                case "listener" -> lines.add("listener " + port + " 127.0.0.1");
                case "log_dest", "user", "pid_file" -> lines.add("# (replaced by bench fleet) " + line);
                default -> lines.add(line);
            }
        }
        lines.add("log_dest file " + log);
        if ("root".equals(System.getProperty("user.name"))) {
            lines.add("user root");
        }
        return String.join("\n", lines) + "\n";
    }

    long pid() {
        return process.pid();
    }

    String uri() {
        return "tcp://127.0.0.1:" + port;
    }

    static void awaitPort(int port, Process owner) {
        LoopbackPorts.awaitListening(port, owner, Duration.ofSeconds(60));
    }

    static int freePort() {
        return LoopbackPorts.free();
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = FleetMosquitto.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no " + name + " on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
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
