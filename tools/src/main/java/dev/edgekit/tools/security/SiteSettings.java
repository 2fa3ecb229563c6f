package dev.edgekit.tools.security;

import dev.edgekit.protocol.topic.Ids;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * What {@code ca init} decided for a site, kept in {@code site.properties} next to the CA.
 *
 * @param hosts DNS names in the broker certificate; the first one goes into agent bundles' broker URL
 * @param ips   IP addresses in the broker certificate
 * @param auth  the authentication the site broker's listener is configured for (the default for {@code provision})
 */
public record SiteSettings(String site, List<String> hosts, List<String> ips, int port, AuthMethod auth) {
    static final String FILE = "site.properties";

    public SiteSettings {
        Ids.require(site, "site");
        hosts = List.copyOf(hosts);
        ips = List.copyOf(ips);
        if (hosts.isEmpty() && ips.isEmpty()) {
            throw new IllegalArgumentException("the broker certificate needs at least one --host or --ip");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** {@code ssl://first-host-or-address:port}. */
    public String brokerUrl() {
        String host = hosts.isEmpty() ? ips.get(0) : hosts.get(0);
        return "ssl://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    void write(Path dir) {
        Properties p = new Properties();
        p.setProperty("site", site);
        p.setProperty("hosts", String.join(",", hosts));
        p.setProperty("ips", String.join(",", ips));
        p.setProperty("port", Integer.toString(port));
        p.setProperty("auth", auth.label());
        StringWriter out = new StringWriter();
        try {
            p.store(out, "edgekit site (written by edgekit ca init)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SecureFiles.writePublic(dir.resolve(FILE), out.toString());
    }

    static SiteSettings read(Path dir) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(SecureFiles.read(dir.resolve(FILE))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new SiteSettings(p.getProperty("site"), split(p.getProperty("hosts", "")),
                split(p.getProperty("ips", "")), Integer.parseInt(p.getProperty("port", "8883")),
                AuthMethod.parse(p.getProperty("auth", "password")));
    }

    private static List<String> split(String list) {
        return Arrays.stream(list.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
