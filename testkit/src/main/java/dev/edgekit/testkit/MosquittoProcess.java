package dev.edgekit.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Mosquitto (the Debian package's {@code /usr/sbin/mosquitto}) for a test: started with a configuration from
 * {@code broker-config} on a free loopback port, in a private working folder, and stopped after. The configuration is
 * derived, not copied: the first listener's port, {@code persistence_location}, logging and (when run as root) the
 * user are rewritten, everything else is kept. Restart and kill -9 are supported for fault tests; the port and the
 * persistence folder survive a restart.
 */
public final class MosquittoProcess implements TestBroker {
    private static final Logger log = LoggerFactory.getLogger(MosquittoProcess.class);
    private static final List<Path> CANDIDATES = List.of(Path.of("/usr/sbin/mosquitto"), Path.of("/usr/bin/mosquitto"),
            Path.of("/usr/local/sbin/mosquitto"));
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(15);

    private final String configResource;
    private final Map<String, String> overrides;
    private final Path workDir;
    private final Path logFile;
    private int port;
    private Process process;
    private boolean expectedDown = true;

    private MosquittoProcess(String configResource, Map<String, String> overrides) {
        this.configResource = configResource;
        this.overrides = Map.copyOf(overrides);
        try {
            this.workDir = Files.createTempDirectory("edgekit-mosquitto-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.logFile = workDir.resolve("mosquitto.log");
    }

    /** Starts Mosquitto with {@code mosquitto/dev.conf}. */
    public static MosquittoProcess start() {
        return start("mosquitto/dev.conf", Map.of());
    }

    /**
     * Starts Mosquitto with a configuration resource from broker-config (e.g. {@code mosquitto/persistent.conf}).
     *
     * @param overrides options to set or replace, e.g. {@code max_packet_size → 1024}
     */
    public static MosquittoProcess start(String configResource, Map<String, String> overrides) {
        MosquittoProcess mosquitto = new MosquittoProcess(configResource, overrides);
        mosquitto.port = freePort();
        mosquitto.launch();
        return mosquitto;
    }

    /** The Mosquitto binary, or an explanation of how to get one. */
    public static Path binary() {
        return CANDIDATES.stream().filter(Files::isExecutable).findFirst().orElseThrow(() -> new IllegalStateException(
                "mosquitto is not installed (looked in " + CANDIDATES + "); run ./scripts/test, which installs it,"
                        + " or: sudo apt-get install mosquitto mosquitto-clients"));
    }

    private void launch() {
        Path config = workDir.resolve("mosquitto.conf");
        try {
            Files.writeString(config, deriveConfig(readResource(configResource)), StandardCharsets.UTF_8);
            Files.writeString(logFile, "---- mosquitto start ----\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            process = new ProcessBuilder(binary().toString(), "-c", config.toString())
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start mosquitto", e);
        }
        awaitReady();
        expectedDown = false;
        log.info("mosquitto ({}) on {} pid {}", configResource, uri(), process.pid());
    }

    String deriveConfig(String template) {
        List<String> lines = new ArrayList<>();
        boolean listenerDone = false;
        for (String line : template.split("\n", -1)) {
            String trimmed = line.strip();
            String key = trimmed.isEmpty() || trimmed.startsWith("#") ? "" : trimmed.split("\\s+")[0];
            if (key.equals("listener") && !listenerDone) {
                lines.add("listener " + port + " 127.0.0.1");
                listenerDone = true;
            } else if (key.equals("persistence_location") || key.equals("log_dest") || key.equals("user")
                    || key.equals("pid_file") || overrides.containsKey(key)) {
                lines.add("# (replaced by the test harness) " + line);
            } else {
                lines.add(line);
            }
        }
        if (!listenerDone) {
            throw new IllegalArgumentException(configResource + " has no listener line to rewrite");
        }
        lines.add("# ---- added by the test harness ----");
        lines.add("persistence_location " + workDir + "/");
        lines.add("log_dest stdout");
        if ("root".equals(System.getProperty("user.name"))) {
            lines.add("user root"); // otherwise Mosquitto drops to user 'mosquitto', who cannot write our folder
        }
        overrides.forEach((key, value) -> lines.add(key + " " + value));
        return String.join("\n", lines) + "\n";
    }

    private static String readResource(String name) throws IOException {
        try (InputStream in = MosquittoProcess.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no broker configuration '" + name + "' on the classpath"
                        + " (expected in broker-config/mosquitto/)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("mosquitto exited with code " + process.exitValue()
                        + " while starting; its log:\n" + log());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("mosquitto did not accept connections on port " + port + " within "
                + READY_TIMEOUT.toSeconds() + " s; its log:\n" + log());
    }

    @Override
    public String uri() {
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public Path workDir() {
        return workDir;
    }

    /** Mosquitto's log so far (all runs of this instance). */
    public String log() {
        try {
            return Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.UTF_8) : "(no log)";
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** SIGKILL: no clean shutdown, no final persistence save. */
    @Override
    public void kill() {
        expectedDown = true;
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(10));
    }

    /** SIGTERM and wait; SIGKILL if it does not stop within 10 s. */
    @Override
    public void stop() {
        expectedDown = true;
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!waitFor(Duration.ofSeconds(10))) {
                process.destroyForcibly();
                waitFor(Duration.ofSeconds(5));
            }
        }
    }

    /** Starts again on the same port with the same persistence folder (after {@link #stop()} or {@link #kill()}). */
    @Override
    public void restart() {
        if (process != null && process.isAlive()) {
            stop();
        }
        launch();
    }

    /** Throws, with the log, if Mosquitto died while it was meant to be running. */
    @Override
    public void assertHealthy() {
        if (!expectedDown && process != null && !process.isAlive()) {
            throw new AssertionError("mosquitto crashed (exit code " + process.exitValue() + "); its log:\n" + log());
        }
    }

    @Override
    public void close() {
        stop();
        deleteRecursively(workDir);
    }

    private boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.debug("could not delete {}: {}", dir, e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "mosquitto(" + configResource + ") " + uri();
    }

    /** For a test that wants to see how the configuration was derived. */
    public String config() {
        try {
            return Files.readString(workDir.resolve("mosquitto.conf"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
