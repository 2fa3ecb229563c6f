package dev.edgekit.agent.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Sparkplug's birth/death sequence number ({@code bdSeq}, 0..255), kept in {@code {stateDir}/sparkplug-bdseq}: a new
 * one for every MQTT connection, stored before the connection is made, so the NDEATH Will registered with it and the
 * NBIRTH published on it match even across a {@code kill -9} (Sparkplug 3.0, "bdSeq").
 */
final class BdSeqFile {
    private final Path file;

    BdSeqFile(Path stateDir) {
        this.file = stateDir.resolve("sparkplug-bdseq");
    }

    /** The next bdSeq (one past the stored one, 0 after 255 or when none is stored), stored before it is returned. */
    synchronized long next() {
        long last = -1;
        try {
            last = Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).strip());
        } catch (NoSuchFileException e) {
            last = -1;
        } catch (IOException | NumberFormatException e) {
            last = -1; // unreadable: start over; a host takes any bdSeq of a new NBIRTH
        }
        long next = last < 0 || last >= 255 ? 0 : last + 1;
        try {
            Files.createDirectories(file.getParent());
            Path temp = file.resolveSibling("sparkplug-bdseq.tmp");
            Files.writeString(temp, Long.toString(next), StandardCharsets.US_ASCII);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot store the Sparkplug bdSeq in " + file, e);
        }
        return next;
    }
}
