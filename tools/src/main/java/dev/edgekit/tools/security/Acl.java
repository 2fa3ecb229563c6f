package dev.edgekit.tools.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Comparator;

/**
 * Renders the site's Mosquitto ACL file: {@code mosquitto/acl.template} (broker-config) with the site filled in — the
 * {@code pattern} lines every identity gets through {@code %u} — followed by one {@code user} block per active
 * time server and operator. Devices need no lines of their own: the patterns are their whole permission, and
 * removing a device's password or certificate is what revokes it.
 */
final class Acl {
    static final String TEMPLATE = "mosquitto/acl.template";

    private Acl() {
    }

    static String render(String site, Collection<Identity> identities) {
        StringBuilder acl = new StringBuilder(template().replace("{site}", site));
        acl.append("\n# ---- identities (from identities.tsv) ").append("-".repeat(77)).append('\n');
        identities.stream().filter(Identity::active).sorted(Comparator.comparing(Identity::id))
                .forEach(identity -> acl.append(block(site, identity)));
        return acl.toString();
    }

    static String block(String site, Identity identity) {
        String root = "edgekit/v1/" + site;
        String id = identity.id();
        return switch (identity.role()) {
            case DEVICE -> "# device " + id + " (" + identity.auth().label() + "): the patterns above\n";
            case TIME_SERVER -> """
                    # time server %2$s (%3$s)
                    user %2$s
                    topic write %1$s/$time/%2$s/announce
                    topic read %1$s/$time/%2$s/request
                    topic write %1$s/$time/reply/+
                    topic write %1$s/$time/berkeley/+/poll
                    topic write %1$s/$time/berkeley/+/adjust
                    topic read %1$s/$time/berkeley/members/+
                    topic readwrite %1$s/$election/#
                    topic read %1$s/+/state
                    """.formatted(root, id, identity.auth().label());
            case OPERATOR -> """
                    # operator %2$s (%3$s)
                    user %2$s
                    topic read %1$s/#
                    topic write %1$s/+/cmd/+
                    """.formatted(root, id, identity.auth().label());
        };
    }

    static String template() {
        try (InputStream in = Acl.class.getClassLoader().getResourceAsStream(TEMPLATE)) {
            if (in == null) {
                throw new IllegalStateException(TEMPLATE + " is not on the classpath (edgekit-broker-config)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
