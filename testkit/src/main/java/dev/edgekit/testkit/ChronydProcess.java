package dev.edgekit.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real chronyd for a test, that never touches this machine's clock ({@code -x}) and shares nothing with a system
 * chronyd: its own folder for the pid file, dump files and command socket, no UDP command port ({@code cmdport 0});
 * {@link #chronyc} talks to it through its own Unix command socket ({@code chronyc -h <socket>}). chronyd must run as
 * root (it stays root: {@code -u root}, so it can write the test's folder); {@link #unavailable()} says why a test
 * should skip instead.
 */
public final class ChronydProcess implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(10);
    private final Path dir;
    private final Process process;
    private final Path log;

    private ChronydProcess(Path dir, Process process, Path log) {
        this.dir = dir;
        this.process = process;
        this.log = log;
    }

    /** Why chronyd cannot run here (not root, not installed), or empty when it can. */
    public static Optional<String> unavailable() {
        if (!Files.isExecutable(Path.of("/usr/sbin/chronyd")) || !Files.isExecutable(Path.of("/usr/bin/chronyc"))) {
            return Optional.of("chronyd/chronyc not installed (Debian package chrony; scripts/test installs it)");
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.of("chronyd must run as root (CI runs as root); running as " + System.getProperty("user.name"));
        }
        return Optional.empty();
    }

    /**
     * Starts {@code chronyd -x -d -u root -f <dir>/chronyd.conf} with {@code directives} plus the folder-private
     * ones, and waits until its command socket answers.
     */
    public static ChronydProcess start(Path dir, List<String> directives) throws IOException {
        Files.createDirectories(dir);
        // chronyd refuses a command socket in a folder others can enter ("Wrong permissions")
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        List<String> conf = new ArrayList<>(directives);
        conf.add("pidfile " + dir.resolve("chronyd.pid"));
        conf.add("bindcmdaddress " + dir.resolve("chronyd.sock"));
        conf.add("cmdport 0");
        conf.add("dumpdir " + dir);
        Path confFile = dir.resolve("chronyd.conf");
        Files.writeString(confFile, String.join("\n", conf) + "\n");
        Path log = dir.resolve("chronyd.log");
        Process p = new ProcessBuilder("/usr/sbin/chronyd", "-x", "-d", "-u", "root", "-f", confFile.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ChronydProcess chronyd = new ChronydProcess(dir, p, log);
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("chronyd exited with " + p.exitValue() + ": " + chronyd.log());
            }
            if (Files.exists(chronyd.commandSocket()) && chronyd.chronyc("tracking").contains("Reference ID")) {
                return chronyd;
            }
            sleep(50);
        }
        chronyd.close();
        throw new IllegalStateException("chronyd did not answer chronyc within " + READY_TIMEOUT + ": " + chronyd.log());
    }

    public Path dir() {
        return dir;
    }

    public Path commandSocket() {
        return dir.resolve("chronyd.sock");
    }

    /** {@code chronyc -h <our socket> -n <args>}: its standard output (and error), within 10 s. */
    public String chronyc(String... args) {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/chronyc", "-h", commandSocket().toString(), "-n"));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "";
            }
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** What chronyd wrote so far (for failure messages). */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
