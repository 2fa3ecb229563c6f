package dev.edgekit.protocol.mqtt;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Client TLS for an {@code ssl://} broker: trusts only the site CA (never the JDK's public CAs), optionally presents a
 * client certificate (mutual TLS), offers TLS 1.3 and 1.2 only. Host-name verification is Paho's (on by default, and
 * {@link MqttSession} never turns it off): the broker's certificate must name the host or address in the URI.
 *
 * <pre>{@code
 * MqttTls tls = MqttTls.trusting(Path.of("/etc/edgekit/ca.crt"))
 *         .withClientCertificate(Path.of("/etc/edgekit/device.crt"), Path.of("/etc/edgekit/device.key"));
 * MqttSession.builder().server("ssl://broker.local:8883").clientId("d1").socketFactory(tls.socketFactory())…
 * }</pre>
 *
 * Files are PEM: certificates as {@code CERTIFICATE} blocks, the key as unencrypted PKCS#8 ({@code PRIVATE KEY}), the
 * form {@code edgekit provision} writes. Immutable.
 */
public final class MqttTls {
    private static final Pattern PEM_KEY = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
    static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private final Path caFile;
    private final Path certFile;
    private final Path keyFile;

    private MqttTls(Path caFile, Path certFile, Path keyFile) {
        this.caFile = Objects.requireNonNull(caFile, "caFile");
        this.certFile = certFile;
        this.keyFile = keyFile;
    }

    /** Server authentication only: the broker must present a certificate issued by the CA(s) in {@code caFile}. */
    public static MqttTls trusting(Path caFile) {
        return new MqttTls(caFile, null, null);
    }

    /** Mutual TLS: also present this certificate (PEM, leaf first) and its PKCS#8 PEM key. */
    public MqttTls withClientCertificate(Path certFile, Path keyFile) {
        return new MqttTls(caFile, Objects.requireNonNull(certFile, "certFile"), Objects.requireNonNull(keyFile,
                "keyFile"));
    }

    public boolean mutual() {
        return certFile != null;
    }

    /** A fresh TLS context from the files as they are now. */
    public SSLContext context() {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            List<X509Certificate> cas = readCertificates(caFile);
            if (cas.isEmpty()) {
                throw new IllegalArgumentException("no CERTIFICATE in " + caFile);
            }
            for (int i = 0; i < cas.size(); i++) {
                trust.setCertificateEntry("ca-" + i, cas.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);

            KeyManagerFactory kmf = null;
            if (certFile != null) {
                char[] none = new char[0];
                KeyStore identity = KeyStore.getInstance("PKCS12");
                identity.load(null, null);
                List<X509Certificate> chain = readCertificates(certFile);
                if (chain.isEmpty()) {
                    throw new IllegalArgumentException("no CERTIFICATE in " + certFile);
                }
                identity.setKeyEntry("client", readPrivateKey(keyFile), none, chain.toArray(Certificate[]::new));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(identity, none);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot build a TLS context from " + describe() + ": "
                    + e.getMessage(), e);
        } catch (IOException e) { // KeyStore.load(null, null) declares it
            throw new UncheckedIOException(e);
        }
    }

    /** The factory to hand to {@link MqttSessionBuilder#socketFactory}; TCP_NODELAY is added by the session. */
    public SSLSocketFactory socketFactory() {
        return AdjustingSocketFactory.tls(context().getSocketFactory(), MqttTls::limitProtocols);
    }

    private String describe() {
        return "CA " + caFile + (certFile == null ? "" : ", certificate " + certFile + ", key " + keyFile);
    }

    static List<X509Certificate> readCertificates(Path file) throws GeneralSecurityException {
        try {
            byte[] pem = Files.readAllBytes(file);
            return CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem))
                    .stream().map(X509Certificate.class::cast).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static PrivateKey readPrivateKey(Path file) throws GeneralSecurityException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        Matcher m = PEM_KEY.matcher(text);
        if (!m.find()) {
            throw new IllegalArgumentException(file + " holds no unencrypted PKCS#8 key (-----BEGIN PRIVATE KEY-----)");
        }
        byte[] der = Base64.getMimeDecoder().decode(m.group(1));
        try {
            GeneralSecurityException last = null;
            for (String algorithm : List.of("EC", "RSA", "Ed25519")) {
                try {
                    return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
                } catch (GeneralSecurityException e) {
                    last = e;
                }
            }
            throw last;
        } finally {
            Arrays.fill(der, (byte) 0);
        }
    }

    /** Enables only TLS 1.3 and 1.2 on every socket, whatever the JDK's defaults. */
    private static java.net.Socket limitProtocols(java.net.Socket socket) {
        if (socket instanceof javax.net.ssl.SSLSocket tls) {
            tls.setEnabledProtocols(Arrays.stream(tls.getSupportedProtocols()).filter(PROTOCOLS::contains)
                    .toArray(String[]::new));
        }
        return socket;
    }
}
