package dev.edgekit.tools.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.FileSystemException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Writes files atomically (temporary file in the same folder, then a rename) with their final permissions from the
 * first byte: a secret is never readable by others, not even for an instant. A file that is replaced keeps its owner,
 * group and mode (see {@link #keepOwnership}).
 */
final class SecureFiles {
    static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");

    private SecureFiles() {
    }

    /** A secret (private key, password, password file): mode 0600. */
    static void writePrivate(Path file, byte[] content) {
        write(file, content, PRIVATE);
    }

    static void writePrivate(Path file, String content) {
        writePrivate(file, content.getBytes(StandardCharsets.UTF_8));
    }

    /** Certificates, CRL, ACL, configuration: mode 0644. */
    static void writePublic(Path file, String content) {
        write(file, content.getBytes(StandardCharsets.UTF_8), PUBLIC);
    }

    static void write(Path file, byte[] content, Set<PosixFilePermission> permissions) {
        Path target = file.toAbsolutePath();
        try {
            Path dir = Files.createDirectories(target.getParent());
            boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
            Path temp = posix
                    ? Files.createTempFile(dir, "." + target.getFileName(), ".tmp",
                            PosixFilePermissions.asFileAttribute(permissions))
                    : Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
            try {
                Files.write(temp, content);
                if (posix) {
                    Files.setPosixFilePermissions(temp, permissions); // createTempFile's attribute is subject to umask
                    keepOwnership(target, temp, permissions);
                }
                try {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * A file that exists already keeps its owner, group and mode across the rewrite: the broker may read it as its own
     * user (Mosquitto started as root drops to {@code mosquitto}), and a replacement owned by {@code root:root} with
     * mode 0600 would lock it out at the next reload. A secret never gains permissions for others, though.
     */
    private static void keepOwnership(Path target, Path temp, Set<PosixFilePermission> permissions) throws IOException {
        PosixFileAttributes before;
        try {
            before = Files.readAttributes(target, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return; // a new file: the mode asked for, owned by whoever runs the command
        }
        Set<PosixFilePermission> mode = EnumSet.noneOf(PosixFilePermission.class);
        mode.addAll(before.permissions());
        if (!permissions.contains(PosixFilePermission.OTHERS_READ)) {
            mode.removeAll(EnumSet.of(PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE,
                    PosixFilePermission.OTHERS_EXECUTE));
        }
        PosixFileAttributeView view = Files.getFileAttributeView(temp, PosixFileAttributeView.class);
        try {
            if (!before.group().equals(Files.readAttributes(temp, PosixFileAttributes.class).group())) {
                view.setGroup(before.group());
            }
            if (!before.owner().equals(Files.getOwner(temp))) {
                view.setOwner(before.owner());
            }
        } catch (FileSystemException e) {
            throw new IOException(target + " belongs to " + before.owner().getName() + ":" + before.group().getName()
                    + ", and its replacement cannot be given to them (" + e.getReason() + "): run this as root or as "
                    + before.owner().getName(), e);
        }
        view.setPermissions(mode);
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
