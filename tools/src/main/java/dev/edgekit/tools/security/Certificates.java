package dev.edgekit.tools.security;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** ECDSA P-256 keys, certificates and CRLs (BouncyCastle's builders over the JDK's EC provider). */
final class Certificates {
    static final String SIGNATURE = "SHA256withECDSA";
    /** Certificates start an hour in the past, so a broker whose clock is a little behind still accepts them. */
    static final Duration BACKDATE = Duration.ofHours(1);

    private final SecureRandom random;

    Certificates(SecureRandom random) {
        this.random = random;
    }

    /** A pair of a certificate and its key. */
    record Issued(X509Certificate certificate, PrivateKey key) {
    }

    KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no ECDSA P-256 in this JDK", e);
        }
    }

    BigInteger newSerial() {
        return new BigInteger(127, random).add(BigInteger.ONE); // positive, < 20 octets (RFC 5280 §4.1.2.2)
    }

    static X500Name name(String commonName, String organisationalUnit, String site) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "edgekit site " + site)
                .addRDN(BCStyle.OU, organisationalUnit).addRDN(BCStyle.CN, commonName).build();
    }

    Issued selfSignedCa(String site, Instant now, Duration validity) {
        KeyPair keys = newKeyPair();
        X500Name subject = name("edgekit " + site + " CA", "ca", site);
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, newSerial(),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(validity)), subject, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            utils.createSubjectKeyIdentifier(keys.getPublic()));
            return new Issued(sign(builder, keys.getPrivate()), keys.getPrivate());
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot make the CA certificate", e);
        }
    }

    /** A server (broker) certificate for the given DNS names and IP addresses. */
    Issued server(Issued ca, String site, Collection<String> hosts, Collection<String> ips, Instant now,
            Duration validity) {
        List<GeneralName> names = new ArrayList<>();
        hosts.forEach(h -> names.add(new GeneralName(GeneralName.dNSName, h)));
        ips.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
        String cn = hosts.isEmpty() ? ips.iterator().next() : hosts.iterator().next();
        return leaf(ca, name(cn, "broker", site), KeyPurposeId.id_kp_serverAuth,
                new GeneralNames(names.toArray(GeneralName[]::new)), newSerial(), now, validity);
    }

    /** A client certificate whose CN is the identity's id (Mosquitto's use_identity_as_username takes the CN). */
    Issued client(Issued ca, String site, String id, Role role, BigInteger serial, Instant now, Duration validity) {
        return leaf(ca, name(id, role.label(), site), KeyPurposeId.id_kp_clientAuth, null, serial, now, validity);
    }

    private Issued leaf(Issued ca, X500Name subject, KeyPurposeId purpose, GeneralNames altNames, BigInteger serial,
            Instant now, Duration validity) {
        KeyPair keys = newKeyPair();
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            Instant notAfter = now.plus(validity);
            if (notAfter.isAfter(ca.certificate().getNotAfter().toInstant())) {
                notAfter = ca.certificate().getNotAfter().toInstant();
            }
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca.certificate(), serial,
                    Date.from(now.minus(BACKDATE)), Date.from(notAfter), subject, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            utils.createSubjectKeyIdentifier(keys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            utils.createAuthorityKeyIdentifier(ca.certificate()));
            if (altNames != null) {
                builder.addExtension(Extension.subjectAlternativeName, false, altNames);
            }
            return new Issued(sign(builder, ca.key()), keys.getPrivate());
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot issue a certificate for " + subject, e);
        }
    }

    /** A revoked certificate in the CRL. */
    record Revoked(BigInteger serial, Instant at) {
    }

    /** A complete CRL, valid until the CA expires (an expired CRL makes OpenSSL refuse every client certificate). */
    String crl(Issued ca, Collection<Revoked> revoked, long number, Instant now) {
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v2CRLBuilder builder = new X509v2CRLBuilder(
                    X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()),
                    Date.from(now.minus(BACKDATE)));
            builder.setNextUpdate(ca.certificate().getNotAfter());
            for (Revoked r : revoked) {
                builder.addCRLEntry(r.serial(), Date.from(r.at()), CRLReason.unspecified);
            }
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    utils.createAuthorityKeyIdentifier(ca.certificate()));
            builder.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(number)));
            X509CRLHolder crl = builder.build(signer(ca.key()));
            return Pem.encode("X509 CRL", crl.getEncoded());
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot make the CRL", e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
            throws GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer(key)));
    }

    private static ContentSigner signer(PrivateKey key) {
        try {
            return new JcaContentSignerBuilder(SIGNATURE).build(key);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }
}
