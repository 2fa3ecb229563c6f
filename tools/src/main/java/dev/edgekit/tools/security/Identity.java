package dev.edgekit.tools.security;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;

/**
 * One provisioned identity of a site, as recorded in {@code identities.tsv}.
 *
 * @param serial    serial of the certificate issued for it (every identity gets one, also with passwords, so that a
 *                  leaked bundle can be revoked both ways)
 * @param revokedAt null while the identity is valid
 */
public record Identity(String id, Role role, AuthMethod auth, BigInteger serial, Instant issuedAt, Instant revokedAt) {
    public Identity {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(issuedAt, "issuedAt");
    }

    public boolean active() {
        return revokedAt == null;
    }

    Identity revoked(Instant at) {
        return new Identity(id, role, auth, serial, issuedAt, at);
    }

    String toLine() {
        return String.join("\t", id, role.label(), auth.label(), serial.toString(16), issuedAt.toString(),
                revokedAt == null ? "-" : revokedAt.toString());
    }

    static Identity parse(String line) {
        String[] f = line.split("\t");
        if (f.length != 6) {
            throw new IllegalArgumentException("malformed identities.tsv line: " + line);
        }
        return new Identity(f[0], Role.parse(f[1]), AuthMethod.parse(f[2]), new BigInteger(f[3], 16),
                Instant.parse(f[4]), f[5].equals("-") ? null : Instant.parse(f[5]));
    }
}
