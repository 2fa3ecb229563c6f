package dev.edgekit.agent.shadow;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The desired version this device last applied and reported, in {@code {stateDir}/shadow-version}: written (to a
 * temporary file, then renamed over the old one) only after the report was acknowledged by the broker, so a device
 * killed mid-apply applies the same version again when it restarts, and a report never claims what was not done.
 */
final class ShadowCheckpoint {
    private static final Logger log = LoggerFactory.getLogger(ShadowCheckpoint.class);
    static final String FILE = "shadow-version";

    private final Path file;

    ShadowCheckpoint(Path stateDir) {
        this.file = stateDir.resolve(FILE);
    }

    /** The checkpointed version; 0 when there is none or it cannot be read (then the current desired is applied). */
    long load() {
        try {
            long version = Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).strip());
            return version < 0 ? 0 : version;
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException | NumberFormatException e) {
            log.warn("{}: unreadable ({}); the current desired state will be applied again", file, e.getMessage());
            return 0;
        }
    }

    /** Stores {@code version}; false when the disk refused (the version is then applied again after a restart). */
    boolean store(long version) {
        Path temp = file.resolveSibling(FILE + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(temp, Long.toString(version), StandardCharsets.US_ASCII);
            try {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return true;
        } catch (IOException e) {
            log.warn("{}: cannot store shadow version {}: {}", file, version, e.getMessage());
            return false;
        }
    }
}
