package dev.edgekit.tools.security;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.random.RandomGenerator;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Mosquitto 2.0 password file lines, byte for byte what {@code mosquitto_passwd} writes:
 * {@code user:$7$101$<base64 salt (12 bytes)>$<base64 PBKDF2-HMAC-SHA512 (64 bytes)>}. The salt is used raw
 * (decoded), the password as its bytes.
 */
final class MosquittoPasswords {
    static final int ITERATIONS = 101;
    static final int SALT_BYTES = 12;
    static final int HASH_BYTES = 64;

    private MosquittoPasswords() {
    }

    static String hashLine(String user, byte[] password, RandomGenerator random) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return user + ":$7$" + ITERATIONS + "$" + Base64.getEncoder().encodeToString(salt) + "$"
                + Base64.getEncoder().encodeToString(pbkdf2(password, salt, ITERATIONS));
    }

    /** Checks {@code password} against a {@code user:$7$…} line, as Mosquitto would. */
    static boolean verify(String line, byte[] password) {
        String[] userAndHash = line.strip().split(":", 2);
        String[] parts = userAndHash.length == 2 ? userAndHash[1].split("\\$") : new String[0];
        // "", "7", iterations, salt, hash
        if (parts.length != 5 || !parts[1].equals("7")) {
            return false;
        }
        byte[] salt = Base64.getDecoder().decode(parts[3]);
        byte[] expected = Base64.getDecoder().decode(parts[4]);
        byte[] actual = pbkdf2(password, salt, Integer.parseInt(parts[2]));
        return MessageDigest.isEqual(expected, actual);
    }

    static byte[] pbkdf2(byte[] password, byte[] salt, int iterations) {
        PKCS5S2ParametersGenerator generator = new PKCS5S2ParametersGenerator(new SHA512Digest());
        generator.init(password, salt, iterations);
        return ((KeyParameter) generator.generateDerivedParameters(HASH_BYTES * 8)).getKey();
    }

    /** Replaces (or adds) {@code user}'s line in the password file, keeping the others; writes it with mode 0600. */
    static void put(Path file, String user, String line) {
        List<String> lines = without(file, user);
        lines.add(line);
        SecureFiles.writePrivate(file, String.join("\n", lines) + "\n");
    }

    /** Removes {@code user}'s line; true if there was one. */
    static boolean remove(Path file, String user) {
        if (!Files.exists(file)) {
            return false;
        }
        List<String> before = SecureFiles.read(file).lines().filter(l -> !l.isBlank()).toList();
        List<String> after = without(file, user);
        if (after.size() == before.size()) {
            return false;
        }
        SecureFiles.writePrivate(file, after.isEmpty() ? "" : String.join("\n", after) + "\n");
        return true;
    }

    static boolean contains(Path file, String user) {
        return Files.exists(file) && SecureFiles.read(file).lines().anyMatch(l -> l.startsWith(user + ":"));
    }

    private static List<String> without(Path file, String user) {
        List<String> lines = new ArrayList<>();
        if (Files.exists(file)) {
            SecureFiles.read(file).lines().filter(l -> !l.isBlank() && !l.startsWith(user + ":")).forEach(lines::add);
        }
        return lines;
    }

    static void wipe(byte[] secret) {
        if (secret != null) {
            Arrays.fill(secret, (byte) 0);
        }
    }
}
