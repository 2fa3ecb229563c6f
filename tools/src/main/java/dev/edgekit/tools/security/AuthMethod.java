package dev.edgekit.tools.security;

import java.util.Arrays;
import java.util.Locale;

/** How an identity proves itself to the broker. */
public enum AuthMethod {
    /** Username and a random password; the broker keeps a PBKDF2-SHA512 hash (secure.conf's default). */
    PASSWORD,
    /** A client certificate from the site CA (mutual TLS); its CN is the username. */
    CERTIFICATE;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AuthMethod parse(String label) {
        return Arrays.stream(values()).filter(a -> a.label().equals(label.strip().toLowerCase(Locale.ROOT)))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("unknown authentication '" + label
                        + "' (password, certificate)"));
    }
}
