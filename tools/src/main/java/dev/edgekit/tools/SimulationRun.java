package dev.edgekit.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * What keeps one {@code simulate} run apart from every other on the same host: its own state folder (a fresh
 * {@code edgekit-sim-<run>} temp folder holding the fleet's outbox file and each device's state, removed at the end
 * unless kept)
 * and MQTT client ids that carry the run's id. Device ids ({@code sim-0001}…) stay readable and the same from run to
 * run; two runs sharing one folder or one client id would reuse each other's sequence numbers and take over each
 * other's sessions.
 */
final class SimulationRun implements AutoCloseable {
    private static final String PREFIX = "edgekit-sim-";

    private final Path root;
    private final String id;
    private final boolean keep;

    private SimulationRun(Path root, boolean keep) {
        this.root = root;
        this.id = root.getFileName().toString().substring(PREFIX.length());
        this.keep = keep;
    }

    /** A new run with a fresh folder under the system temp folder; {@code keep}: leave it there at the end. */
    static SimulationRun create(boolean keep) {
        try {
            return new SimulationRun(Files.createTempDirectory(PREFIX), keep);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the simulation's state folder: " + e.getMessage(), e);
        }
    }

    /** The run's id, unique on this host while the run lasts (the temp folder's own unique name). */
    String id() {
        return id;
    }

    Path root() {
        return root;
    }

    /** Where {@code deviceId} keeps its state files in this run (its outbox is a partition of an {@link #outboxFile}). */
    Path stateDir(String deviceId) {
        return root.resolve(deviceId);
    }

    /** The run's {@code n}th outbox file, each device a partition of one of them. */
    Path outboxFile(int n) {
        return root.resolve("outbox-" + n + ".db");
    }

    /** The MQTT client id of {@code name} (a device id, or the simulator's own observer and time server). */
    String clientId(String name) {
        return name + "-" + id;
    }

    boolean keeps() {
        return keep;
    }

    /** Removes the run's folder, unless it is to be kept. */
    @Override
    public void close() {
        if (keep || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + root + ": " + e.getMessage(), e);
        }
    }
}
