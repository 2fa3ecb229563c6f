package dev.edgekit.time;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The frequency estimate checkpointed to disk (chrony's drift file), so a restarted agent starts
 * with the right frequency. One line: {@code driftPpm tolerancePpm}. Written to a temporary file in
 * the same directory and renamed over the old one, so a crash leaves the old or the new file, never
 * half of one. A missing file is normal; a corrupt one is logged and ignored, never fatal.
 */
public final class DriftFile {
    private static final Logger log = LoggerFactory.getLogger(DriftFile.class);
    /** Estimates beyond this are not an oscillator error but a broken file. */
    static final double MAX_PLAUSIBLE_PPM = 1000;

    private final Path path;

    public DriftFile(Path path) {
        this.path = Objects.requireNonNull(path, "path");
    }

    public Path path() {
        return path;
    }

    /** The saved estimate, or empty if there is none or it cannot be trusted. */
    public Optional<FrequencyEstimate> load() {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            log.warn("drift file {} unreadable, starting without a frequency estimate: {}", path, e.toString());
            return Optional.empty();
        }
        try {
            String[] parts = text.strip().split("\\s+");
            if (parts.length != 2) throw new IllegalArgumentException("expected 2 numbers, got " + parts.length);
            double drift = Double.parseDouble(parts[0]);
            double tolerance = Double.parseDouble(parts[1]);
            if (!Double.isFinite(drift) || !Double.isFinite(tolerance) || Math.abs(drift) > MAX_PLAUSIBLE_PPM
                    || tolerance < 0 || tolerance > MAX_PLAUSIBLE_PPM) {
                throw new IllegalArgumentException("implausible values");
            }
            return Optional.of(new FrequencyEstimate(drift, tolerance));
        } catch (IllegalArgumentException e) {
            log.warn("drift file {} corrupt ({}), ignored: starting without a frequency estimate", path, e.getMessage());
            return Optional.empty();
        }
    }

    /** Saves atomically (temp file + rename). */
    public void save(FrequencyEstimate estimate) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, path.getFileName().toString(), ".tmp");
        try {
            Files.writeString(tmp, String.format(Locale.ROOT, "%.6f %.6f%n", estimate.driftPpm(), estimate.tolerancePpm()),
                    StandardCharsets.UTF_8);
            try {
                Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
