package dev.edgekit.tools.security;

import dev.edgekit.protocol.topic.Ids;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A site's certificate authority and identity registry, kept in one folder:
 *
 * <pre>
 *   ca.crt ca.key            the site CA (ECDSA P-256); ca.key mode 0600 — keep this folder off the boards
 *   broker.crt broker.key    the broker's certificate for its host names and addresses
 *   crl.pem                  revoked certificates (Mosquitto's crlfile)
 *   passwd                   Mosquitto password file (PBKDF2-SHA512 hashes), mode 0600
 *   acl                      Mosquitto ACL file, rendered from acl.template and the registry
 *   identities.tsv           every identity ever provisioned: id, role, authentication, serial, issued, revoked
 *   site.properties          site id, broker names, port, authentication
 *   mosquitto.conf           secure.conf with this folder's paths filled in
 * </pre>
 *
 * Not thread-safe, and not safe for two processes at once: one operator runs one command at a time.
 */
public final class SiteCa {
    private static final Logger log = LoggerFactory.getLogger(SiteCa.class);
    public static final Duration DEFAULT_CA_VALIDITY = Duration.ofDays(20 * 365);
    public static final Duration DEFAULT_LEAF_VALIDITY = Duration.ofDays(5 * 365);
    static final String SECURE_CONF = "mosquitto/secure.conf";
    static final String ETC = "/etc/mosquitto/edgekit/";

    private final Path dir;
    private final SiteSettings settings;
    private final Certificates.Issued ca;
    private final InstantSource clock;
    private final SecureRandom random;
    private final Certificates certificates;

    private SiteCa(Path dir, SiteSettings settings, Certificates.Issued ca, InstantSource clock, SecureRandom random) {
        this.dir = dir;
        this.settings = settings;
        this.ca = ca;
        this.clock = clock;
        this.random = random;
        this.certificates = new Certificates(random);
    }

    /**
     * Creates a site CA, the broker's certificate, an empty CRL, password and ACL files, and the broker configuration
     * in {@code dir} (which must not hold a CA yet).
     *
     * @param dataDir Mosquitto's persistence folder written into mosquitto.conf
     */
    public static SiteCa init(Path dir, SiteSettings settings, Path dataDir, Duration caValidity,
            Duration brokerValidity, InstantSource clock) {
        Path folder = dir.toAbsolutePath().normalize();
        if (Files.exists(folder.resolve("ca.key"))) {
            throw new IllegalStateException(folder + " already holds a CA (ca.key): refusing to overwrite it");
        }
        SecureRandom random = new SecureRandom();
        Certificates certificates = new Certificates(random);
        Instant now = clock.instant();
        Certificates.Issued ca = certificates.selfSignedCa(settings.site(), now, caValidity);
        Certificates.Issued broker = certificates.server(ca, settings.site(), settings.hosts(), settings.ips(), now,
                brokerValidity);
        SecureFiles.writePrivate(folder.resolve("ca.key"), Pem.privateKey(ca.key()));
        SecureFiles.writePublic(folder.resolve("ca.crt"), Pem.certificate(ca.certificate()));
        SecureFiles.writePrivate(folder.resolve("broker.key"), Pem.privateKey(broker.key()));
        SecureFiles.writePublic(folder.resolve("broker.crt"), Pem.certificate(broker.certificate())
                + Pem.certificate(ca.certificate()));
        settings.write(folder);
        SiteCa site = new SiteCa(folder, settings, ca, clock, random);
        SecureFiles.writePublic(folder.resolve("identities.tsv"), "");
        SecureFiles.writePrivate(folder.resolve("passwd"), "");
        site.writeCrlAndAcl(List.of());
        SecureFiles.writePublic(folder.resolve("mosquitto.conf"), brokerConfig(folder, settings, dataDir));
        try {
            Files.createDirectories(dataDir);
        } catch (IOException | SecurityException e) {
            log.warn("cannot create Mosquitto's persistence folder {} ({}): create it before starting the broker",
                    dataDir, e.getMessage());
        }
        BrokerUser.prepare(folder, dataDir);
        log.info("site {}: CA and broker certificate for {} {} in {}", settings.site(), settings.hosts(),
                settings.ips(), folder);
        return site;
    }

    /** Opens an existing site CA folder. */
    public static SiteCa open(Path dir, InstantSource clock) {
        Path folder = dir.toAbsolutePath().normalize();
        if (!Files.exists(folder.resolve("ca.key")) || !Files.exists(folder.resolve(SiteSettings.FILE))) {
            throw new IllegalArgumentException(folder + " is not a site CA folder (no ca.key / site.properties):"
                    + " run `edgekit ca init` first");
        }
        SiteSettings settings = SiteSettings.read(folder);
        Certificates.Issued ca = new Certificates.Issued(
                Pem.certificates(SecureFiles.read(folder.resolve("ca.crt"))).get(0),
                Pem.ecPrivateKey(SecureFiles.read(folder.resolve("ca.key"))));
        return new SiteCa(folder, settings, ca, clock, new SecureRandom());
    }

    public Path dir() {
        return dir;
    }

    public SiteSettings settings() {
        return settings;
    }

    public Path caCertificateFile() {
        return dir.resolve("ca.crt");
    }

    public Path passwordFile() {
        return dir.resolve("passwd");
    }

    public Path aclFile() {
        return dir.resolve("acl");
    }

    public Path crlFile() {
        return dir.resolve("crl.pem");
    }

    public List<Identity> identities() {
        Path file = dir.resolve("identities.tsv");
        if (!Files.exists(file)) {
            return List.of();
        }
        return SecureFiles.read(file).lines().filter(l -> !l.isBlank() && !l.startsWith("#")).map(Identity::parse)
                .toList();
    }

    public Optional<Identity> identity(String id) {
        return identities().stream().filter(i -> i.id().equals(id) && i.active()).findFirst();
    }

    /**
     * What to provision.
     *
     * @param password   the password to use with {@link AuthMethod#PASSWORD}, or null for a random one (32 characters
     *                   from 192 random bits); the caller wipes it after
     * @param brokerUrls the URLs written into agent.yaml; empty for the site's default
     * @param installDir where the bundle's files will live on the board (paths in agent.yaml)
     */
    public record Request(String id, Role role, AuthMethod auth, Path outDir, List<String> brokerUrls,
            Path installDir, Duration validity, byte[] password) {
        public Request {
            Ids.require(id, "identity id");
            ReservedIds.check(id, "identity id");
            brokerUrls = List.copyOf(brokerUrls);
        }
    }

    /** What {@link #provision} wrote. */
    public record Provisioned(Identity identity, Path bundle, List<Path> files, String aclLines) {
    }

    /**
     * Issues an identity: a certificate (always, so the identity can be revoked by CRL too) and, with passwords, a
     * random password whose hash goes into the password file; renders the ACL; writes the board's bundle. An active
     * identity with the same id is replaced (its old certificate is revoked).
     */
    public Provisioned provision(Request request) {
        Instant now = clock.instant();
        List<Identity> all = new ArrayList<>(identities());
        List<Identity> replaced = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            Identity existing = all.get(i);
            if (existing.id().equals(request.id()) && existing.active()) {
                all.set(i, existing.revoked(now));
                replaced.add(existing);
            }
        }
        BigInteger serial = certificates.newSerial();
        Identity identity = new Identity(request.id(), request.role(), request.auth(), serial, now, null);
        all.add(identity);

        Path out = request.outDir().toAbsolutePath().normalize();
        Path install = request.installDir();
        List<Path> files = new ArrayList<>();
        SecureFiles.writePublic(out.resolve("ca.crt"), Pem.certificate(ca.certificate()));
        files.add(out.resolve("ca.crt"));
        Path passwordFile = null;
        Path certFile = null;
        Path keyFile = null;
        Certificates.Issued issued = certificates.client(ca, settings.site(), request.id(), request.role(), serial,
                now, request.validity());
        if (request.auth() == AuthMethod.CERTIFICATE) {
            SecureFiles.writePrivate(out.resolve("client.key"), Pem.privateKey(issued.key()));
            SecureFiles.writePublic(out.resolve("client.crt"), Pem.certificate(issued.certificate()));
            files.add(out.resolve("client.crt"));
            files.add(out.resolve("client.key"));
            certFile = install.resolve("client.crt");
            keyFile = install.resolve("client.key");
            MosquittoPasswords.remove(passwordFile(), request.id());
        } else {
            byte[] password = request.password() != null ? request.password().clone() : randomPassword();
            try {
                SecureFiles.writePrivate(out.resolve("password"), password);
                MosquittoPasswords.put(passwordFile(), request.id(),
                        MosquittoPasswords.hashLine(request.id(), password, random));
            } finally {
                MosquittoPasswords.wipe(password);
            }
            files.add(out.resolve("password"));
            passwordFile = install.resolve("password");
        }
        List<String> urls = request.brokerUrls().isEmpty() ? List.of(settings.brokerUrl()) : request.brokerUrls();
        SecureFiles.writePublic(out.resolve("agent.yaml"), AgentBundle.yaml(settings.site(), identity, urls,
                install.resolve("ca.crt"), passwordFile, certFile, keyFile));
        files.add(out.resolve("agent.yaml"));

        writeRegistry(all);
        writeCrlAndAcl(all);
        String aclLines = effectiveAcl(identity);
        SecureFiles.writePublic(out.resolve("acl.txt"), aclLines);
        files.add(out.resolve("acl.txt"));
        for (Identity old : replaced) {
            log.info("site {}: {} re-provisioned; its previous certificate {} is revoked", settings.site(), old.id(),
                    old.serial().toString(16));
        }
        log.info("site {}: provisioned {} {} ({}), certificate serial {}, bundle in {}", settings.site(),
                request.role().label(), request.id(), request.auth().label(), serial.toString(16), out);
        return new Provisioned(identity, out, List.copyOf(files), aclLines);
    }

    /**
     * Revokes {@code id}: removes it from the password file and the ACL, and adds its certificate to the CRL. The
     * broker applies it on reload (SIGHUP re-reads all three, see SECURITY.md).
     */
    public Identity revoke(String id) {
        Instant now = clock.instant();
        List<Identity> all = new ArrayList<>(identities());
        Identity revoked = null;
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).id().equals(id) && all.get(i).active()) {
                revoked = all.get(i).revoked(now);
                all.set(i, revoked);
            }
        }
        if (revoked == null) {
            throw new IllegalArgumentException("no active identity '" + id + "' in " + dir.resolve("identities.tsv"));
        }
        MosquittoPasswords.remove(passwordFile(), id);
        writeRegistry(all);
        writeCrlAndAcl(all);
        log.info("site {}: revoked {} {} (certificate serial {})", settings.site(), revoked.role().label(), id,
                revoked.serial().toString(16));
        return revoked;
    }

    /** The ACL lines that apply to {@code identity}: the patterns with its id filled in, plus its role block. */
    String effectiveAcl(Identity identity) {
        StringBuilder lines = new StringBuilder("# what ").append(identity.id()).append(" may do on site ")
                .append(settings.site()).append(" (patterns with %u = ").append(identity.id()).append(")\n");
        Acl.template().replace("{site}", settings.site()).lines()
                .filter(l -> l.startsWith("pattern "))
                .forEach(l -> lines.append(l.replaceFirst("^pattern ", "topic ").replace("%u", identity.id()))
                        .append('\n'));
        if (identity.role() != Role.DEVICE) {
            lines.append(Acl.block(settings.site(), identity));
        }
        return lines.toString();
    }

    private void writeRegistry(List<Identity> all) {
        StringBuilder text = new StringBuilder("# id\trole\tauth\tserial\tissued\trevoked\n");
        all.forEach(i -> text.append(i.toLine()).append('\n'));
        SecureFiles.writePublic(dir.resolve("identities.tsv"), text.toString());
    }

    private void writeCrlAndAcl(List<Identity> all) {
        List<Certificates.Revoked> revoked = all.stream().filter(i -> !i.active())
                .map(i -> new Certificates.Revoked(i.serial(), i.revokedAt())).toList();
        long number = revoked.size() + 1L + all.size();
        SecureFiles.writePublic(crlFile(), certificates.crl(ca, revoked, number, clock.instant()));
        SecureFiles.writePublic(aclFile(), Acl.render(settings.site(), all));
    }

    private byte[] randomPassword() {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        try {
            return Base64.getUrlEncoder().withoutPadding().encode(bytes);
        } finally {
            MosquittoPasswords.wipe(bytes);
        }
    }

    /** secure.conf with this folder's paths, the site's port and persistence folder. */
    static String brokerConfig(Path folder, SiteSettings settings, Path dataDir) {
        String template;
        try (InputStream in = SiteCa.class.getClassLoader().getResourceAsStream(SECURE_CONF)) {
            if (in == null) {
                throw new IllegalStateException(SECURE_CONF + " is not on the classpath (edgekit-broker-config)");
            }
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StringBuilder out = new StringBuilder("# site ").append(settings.site())
                .append(": rendered from broker-config/mosquitto/secure.conf by edgekit ca init\n");
        for (String line : template.split("\n", -1)) {
            String key = line.strip().split("\\s+")[0];
            if (key.equals("listener")) {
                out.append("listener ").append(settings.port()).append('\n');
            } else if (key.equals("pid_file")) {
                out.append("pid_file ").append(BrokerUser.runDir(folder)).append("/mosquitto.pid\n");
            } else if (key.equals("log_dest")) {
                out.append("log_dest file ").append(BrokerUser.runDir(folder)).append("/mosquitto.log\n");
            } else if (key.equals("persistence_location")) {
                out.append("persistence_location ").append(dataDir.toAbsolutePath()).append("/\n");
            } else if (settings.auth() == AuthMethod.CERTIFICATE
                    && (key.equals("require_certificate") || key.equals("use_identity_as_username"))) {
                out.append(key).append(" true\n");
            } else {
                out.append(line.replace(ETC, folder + "/")).append('\n');
            }
        }
        return out.toString().stripTrailing() + "\n";
    }
}
