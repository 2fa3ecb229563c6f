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
 * identity: the {@code $time} lines every identity needs (they name no {@code %u}, see {@link #block}) and the
 * time server's or operator's own. Ids that are fixed levels of the {@code $time} tree are refused
 * ({@link ReservedIds}), so {@code +} in these lines never matches another identity's topic.
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
        // Every identity asks time servers and reads their announcements. These lines name no %u, so as `pattern`
        // lines Mosquitto warns at every start; as `topic` lines before any `user` line they would apply to anonymous
        // clients only. Hence one user block per identity, which also goes away when the identity is revoked.
        String common = """
                # %4$s %2$s (%3$s)
                user %2$s
                topic write %1$s/$time/+/request
                topic read %1$s/$time/+/announce
                """.formatted(root, id, identity.auth().label(), identity.role().label());
        return common + switch (identity.role()) {
            // Home Assistant announces itself here; a device with interop.homeAssistant re-publishes its discovery
            case DEVICE -> "topic read homeassistant/status\n";
            case TIME_SERVER -> """
                    topic write %1$s/$time/%2$s/announce
                    topic read %1$s/$time/%2$s/request
                    topic write %1$s/$time/reply/+
                    topic write %1$s/$time/berkeley/+/poll
                    topic write %1$s/$time/berkeley/+/adjust
                    topic read %1$s/$time/berkeley/members/+
                    topic readwrite %1$s/$election/#
                    topic read %1$s/+/state
                    """.formatted(root, id);
            // an operator identity also serves Home Assistant: plain output commands, and its discovery tree
            case OPERATOR -> """
                    topic read %1$s/#
                    topic write %1$s/+/cmd/+
                    topic write %1$s/+/output/+/set
                    topic readwrite homeassistant/#
                    topic write %1$s/+/shadow/update
                    """.formatted(root);
            // the single writer of desired documents, answering each writer on its own reply inbox
            case SHADOW_KEEPER -> """
                    topic read %1$s/+/shadow/update
                    topic readwrite %1$s/+/shadow/desired
                    topic write %1$s/$shadow/reply/+
                    """.formatted(root);
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
