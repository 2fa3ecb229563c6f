package dev.edgekit.tools.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user the site broker runs as. Mosquitto started as root drops to the user {@code mosquitto} (its {@code user}
 * option) before it reads the password file, writes its pid file, log and persistence: so when {@code ca init} runs
 * as root on a host with that user, the files the broker reads get group {@code mosquitto} (secrets mode 0640), and
 * the folders it writes ({@code run/} for the pid file and log, the persistence folder) belong to it. Run as anyone
 * else, the broker keeps that user and nothing needs changing. Later rewrites keep owner, group and mode
 * ({@link SecureFiles}).
 */
final class BrokerUser {
    private static final Logger log = LoggerFactory.getLogger(BrokerUser.class);
    static final String NAME = "mosquitto";
    private static final String PRIVATE_TO_GROUP = "rw-r-----";

    private BrokerUser() {
    }

    /** Where the broker writes its pid file and log: {@code DIR/run}. */
    static Path runDir(Path caDir) {
        return caDir.resolve("run");
    }

    /** Creates {@code run/} and, when running as root, hands the broker what it reads and writes. */
    static void prepare(Path caDir, Path dataDir) {
        Path run = runDir(caDir);
        try {
            Files.createDirectories(run);
            if (!"root".equals(Files.getOwner(run).getName())) {
                return; // the broker will run as this user: it owns everything already
            }
            Optional<UserPrincipal> user = lookupUser();
            if (user.isEmpty()) {
                return; // no mosquitto user: a broker started here as root stays root
            }
            GroupPrincipal group = caDir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(NAME);
            for (Path dir : new Path[] {run, dataDir}) {
                if (Files.isDirectory(dir)) {
                    PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class);
                    view.setOwner(user.get());
                    view.setGroup(group);
                    view.setPermissions(PosixFilePermissions.fromString("rwxr-x---"));
                }
            }
            for (String secret : new String[] {"passwd", "broker.key"}) {
                Path file = caDir.resolve(secret);
                Files.getFileAttributeView(file, PosixFileAttributeView.class).setGroup(group);
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(PRIVATE_TO_GROUP));
            }
            warnIfUnreachable(caDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + run + " for the broker: " + e.getMessage(), e);
        }
    }

    private static Optional<UserPrincipal> lookupUser() throws IOException {
        try {
            return Optional.of(Path.of("/").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(NAME));
        } catch (UserPrincipalNotFoundException e) {
            return Optional.empty();
        }
    }

    /** The broker's user must be able to walk down to the folder: say so when an ancestor is closed to others. */
    private static void warnIfUnreachable(Path caDir) throws IOException {
        for (Path p = caDir.getParent(); p != null; p = p.getParent()) {
            if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                log.warn("{} is closed to other users (mode {}): a Mosquitto started as root runs as '{}' and cannot"
                        + " read {}; put the CA folder elsewhere (e.g. /etc/mosquitto/edgekit) or chmod o+x {}", p,
                        PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), NAME, caDir, p);
                return;
            }
        }
    }
}
