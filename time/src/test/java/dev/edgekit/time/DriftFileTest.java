package dev.edgekit.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DriftFileTest {
    @TempDir Path dir;

    @Test
    void aSavedEstimateIsLoadedBackAndNoTemporaryFileIsLeft() throws Exception {
        DriftFile file = new DriftFile(dir.resolve("sub/edgekit.drift"));
        file.save(new FrequencyEstimate(-187.654321, 0.25));
        file.save(new FrequencyEstimate(201.5, 0.125)); // replaces
        assertThat(file.load()).contains(new FrequencyEstimate(201.5, 0.125));
        try (var files = Files.list(dir.resolve("sub"))) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("edgekit.drift");
        }
    }

    @Test
    void aMissingFileMeansNoEstimate() {
        assertThat(new DriftFile(dir.resolve("none")).load()).isEmpty();
    }

    @Test
    void aCorruptFileIsIgnoredNotFatal() throws Exception {
        for (String junk : new String[] {"", "12.5", "abc def", "NaN 1", "99999 1", "12 -1", "1 2 3", "\u0000\u0001"}) {
            Path p = dir.resolve("drift");
            Files.writeString(p, junk);
            assertThat(new DriftFile(p).load()).as("content %s", junk).isEmpty();
        }
        Files.createDirectory(dir.resolve("a-directory"));
        assertThat(new DriftFile(dir.resolve("a-directory")).load()).isEmpty();
    }
}
