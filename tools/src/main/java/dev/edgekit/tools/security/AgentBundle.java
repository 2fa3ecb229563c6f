package dev.edgekit.tools.security;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The {@code agent.yaml} of a provisioned board: keys {@code site}, {@code id} and
 * {@code broker: { urls, username, passwordFile, caFile, certFile, keyFile }} (the agent's configuration format).
 * Written by hand, not through a YAML library, so that it stays readable and its comments survive.
 */
final class AgentBundle {
    private AgentBundle() {
    }

    static String yaml(String site, Identity identity, List<String> urls, Path caFile, Path passwordFile,
            Path certFile, Path keyFile) {
        StringBuilder y = new StringBuilder();
        y.append("# edgekit agent configuration for ").append(identity.role().label()).append(' ').append(identity.id())
                .append(" of site ").append(site).append(" (written by edgekit provision)\n");
        y.append("# Install this folder on the board as ").append(caFile.getParent())
                .append("/ ; keep the key/password file mode 0600, owned by the agent's user.\n");
        y.append("site: ").append(site).append('\n');
        y.append("id: ").append(identity.id()).append('\n');
        y.append("board: pi                 # or simulated, to try the bundle on a laptop\n");
        y.append("broker:\n");
        y.append("  urls: [").append(urls.stream().map(u -> "\"" + u + "\"").collect(Collectors.joining(", ")))
                .append("]\n");
        if (passwordFile != null) {
            y.append("  username: ").append(identity.id()).append('\n');
            y.append("  passwordFile: ").append(passwordFile).append('\n');
        }
        y.append("  caFile: ").append(caFile).append('\n');
        if (certFile != null) {
            y.append("  # mutual TLS: the broker takes the certificate's CN (").append(identity.id())
                    .append(") as the username\n");
            y.append("  certFile: ").append(certFile).append('\n');
            y.append("  keyFile: ").append(keyFile).append('\n');
        }
        return y.toString();
    }
}
