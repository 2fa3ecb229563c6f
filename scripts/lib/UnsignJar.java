import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * {@code java scripts/lib/UnsignJar.java JAR}: rewrites JAR without its signature files, the other entries in their
 * order and with their times, so the result is as reproducible as the jar. Run by the build on Paho's jar: a signed
 * jar is verified at every start (~150 JDK security classes, certificates parsed) and its classes are left out of
 * the class-data-sharing archive; the board agent's RSS was 2.0-2.4 MB higher with the signed jar.
 */
class UnsignJar {
    private static final Pattern SIGNATURE = Pattern.compile("META-INF/[^/]+\\.(SF|RSA|DSA|EC)");

    public static void main(String[] args) throws IOException {
        Path jar = Path.of(args[0]);
        Path tmp = jar.resolveSibling(jar.getFileName() + ".unsigned");
        try (ZipFile in = new ZipFile(jar.toFile())) {
            List<? extends ZipEntry> entries = Collections.list(in.entries());
            if (entries.stream().noneMatch(e -> SIGNATURE.matcher(e.getName()).matches())) {
                return; // not signed (or done by an earlier build)
            }
            try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(tmp))) {
                for (ZipEntry e : entries) {
                    if (SIGNATURE.matcher(e.getName()).matches()) {
                        continue;
                    }
                    ZipEntry copy = new ZipEntry(e.getName());
                    copy.setTime(e.getTime());
                    out.putNextEntry(copy);
                    try (var data = in.getInputStream(e)) {
                        data.transferTo(out);
                    }
                    out.closeEntry();
                }
            }
        }
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING);
    }
}
