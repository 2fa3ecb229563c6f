package dev.edgekit.tools.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands on the file system: what they write, with which modes, and what they never print. */
class ProvisioningTest {
    @TempDir
    Path temp;

    private Path init(String... extra) {
        Path ca = temp.resolve("ca");
        List<String> args = new java.util.ArrayList<>(List.of("init", "--site", "plant-1", "--out", ca.toString(),
                "--host", "broker.plant-1.example", "--ip", "10.0.0.5", "--data", temp.resolve("data").toString()));
        args.addAll(List.of(extra));
        SecureSite.Result result = SecureSite.run(new CaCommand(), args.toArray(String[]::new));
        assertThat(result.code()).as(result.toString()).isZero();
        return ca;
    }

    private SecureSite.Result provision(Path ca, String id, String role, String auth) {
        return SecureSite.run(new ProvisionCommand(), "--site", "plant-1", "--device", id, "--role", role, "--auth",
                auth, "--ca", ca.toString(), "--out", temp.resolve("bundle-" + id).toString());
    }

    @Test
    void caInitWritesAnEcdsaP256CaABrokerCertificateForTheNamesAndKeysOnlyTheOwnerCanRead() throws Exception {
        Path ca = init();

        X509Certificate root = Pem.certificates(Files.readString(ca.resolve("ca.crt"))).get(0);
        X509Certificate broker = Pem.certificates(Files.readString(ca.resolve("broker.crt"))).get(0);
        assertThat(root.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(root.getPublicKey().toString()).contains("secp256r1");
        assertThat(root.getBasicConstraints()).isZero();
        broker.verify(root.getPublicKey());
        assertThat(broker.getSubjectAlternativeNames()).extracting(n -> (Object) n.get(1))
                .containsExactly((Object) "broker.plant-1.example", "10.0.0.5");
        assertThat(broker.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(Files.getPosixFilePermissions(ca.resolve("ca.key"))).isEqualTo(SecureFiles.PRIVATE);
        for (String secret : List.of("broker.key", "passwd")) { // the broker's user may read them, nobody else
            assertThat(Files.getPosixFilePermissions(ca.resolve(secret))).as(secret)
                    .doesNotContain(PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_WRITE)
                    .contains(PosixFilePermission.OWNER_READ);
        }
        assertThat(Files.readString(ca.resolve("mosquitto.conf")))
                .contains("cafile " + ca.resolve("ca.crt"), "acl_file " + ca.resolve("acl"),
                        "crlfile " + ca.resolve("crl.pem"), "listener 8883", "require_certificate false")
                .doesNotContain("/etc/mosquitto/edgekit/");
    }

    @Test
    void caInitRefusesToOverwriteAnExistingCa() {
        Path ca = init();
        SecureSite.Result again = SecureSite.run(new CaCommand(), "init", "--site", "plant-1", "--out", ca.toString());
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).contains("already holds a CA");
    }

    @Test
    void certificateSitesConfigureMutualTls() throws Exception {
        Path ca = init("--auth", "certificate");
        assertThat(Files.readString(ca.resolve("mosquitto.conf")))
                .contains("require_certificate true", "use_identity_as_username true");
    }

    @Test
    void provisioningWithAPasswordWritesABundleAndAHashButNeverPrintsThePassword() throws Exception {
        Path ca = init();
        SecureSite.Result result = provision(ca, "d1", "device", "password");
        assertThat(result.code()).as(result.toString()).isZero();

        Path bundle = temp.resolve("bundle-d1");
        String password = Files.readString(bundle.resolve("password"));
        assertThat(password).hasSize(32);
        assertThat(Files.getPosixFilePermissions(bundle.resolve("password"))).isEqualTo(SecureFiles.PRIVATE);
        assertThat(result.out() + result.err()).doesNotContain(password);
        String hash = Files.readAllLines(ca.resolve("passwd")).get(0);
        assertThat(MosquittoPasswords.verify(hash, password.getBytes())).isTrue();
        assertThat(Files.readString(bundle.resolve("agent.yaml"))).contains(
                "site: plant-1\n", "id: d1\n", "broker:\n", "  urls: [\"ssl://broker.plant-1.example:8883\"]\n",
                "  username: d1\n", "  passwordFile: /etc/edgekit/password\n", "  caFile: /etc/edgekit/ca.crt\n")
                .doesNotContain("certFile", "keyFile");
        assertThat(result.out()).contains("topic write edgekit/v1/plant-1/d1/telemetry/+",
                "topic read edgekit/v1/plant-1/d1/cmd/+");
    }

    @Test
    void provisioningWithACertificateIssuesAClientCertificateNamedByTheId() throws Exception {
        Path ca = init();
        assertThat(provision(ca, "d2", "device", "certificate").code()).isZero();

        Path bundle = temp.resolve("bundle-d2");
        X509Certificate client = Pem.certificates(Files.readString(bundle.resolve("client.crt"))).get(0);
        X509Certificate root = Pem.certificates(Files.readString(ca.resolve("ca.crt"))).get(0);
        client.verify(root.getPublicKey());
        assertThat(client.getSubjectX500Principal().getName()).startsWith("CN=d2,");
        assertThat(client.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        assertThat(Files.getPosixFilePermissions(bundle.resolve("client.key"))).isEqualTo(SecureFiles.PRIVATE);
        assertThat(Files.readString(ca.resolve("passwd"))).doesNotContain("d2:");
        assertThat(Files.readString(bundle.resolve("agent.yaml")))
                .contains("  certFile: /etc/edgekit/client.crt\n", "  keyFile: /etc/edgekit/client.key\n")
                .doesNotContain("passwordFile");
    }

    @Test
    void everyIdentityGetsAUserBlockWithTheTimeLinesAndItsRolesOwn() throws Exception {
        Path ca = init();
        provision(ca, "d1", "device", "password");
        provision(ca, "ts1", "time-server", "password");
        provision(ca, "op1", "operator", "password");

        String acl = Files.readString(ca.resolve("acl"));
        String time = "topic write edgekit/v1/plant-1/$time/+/request\ntopic read edgekit/v1/plant-1/$time/+/announce\n";
        assertThat(acl).contains("pattern write edgekit/v1/plant-1/%u/state\n",
                "user d1\n" + time + "topic read homeassistant/status\n# operator op1",
                "user ts1\n" + time + "topic write edgekit/v1/plant-1/$time/ts1/announce\n",
                "topic read edgekit/v1/plant-1/$time/ts1/request\n",
                "topic write edgekit/v1/plant-1/$time/reply/+\n",
                "user op1\n" + time + "topic read edgekit/v1/plant-1/#\ntopic write edgekit/v1/plant-1/+/cmd/+\n"
                        + "topic write edgekit/v1/plant-1/+/output/+/set\ntopic readwrite homeassistant/#\n"
                        + "topic write edgekit/v1/plant-1/+/shadow/update\n")
                .doesNotContain("{site}");
        // every pattern names %u (Mosquitto warns at every start about one that does not)
        assertThat(acl.lines().filter(l -> l.startsWith("pattern "))).allMatch(l -> l.contains("%u"));
    }

    @Test
    void revokingRemovesThePasswordAndTheAclBlockAndListsTheCertificateInTheCrl() throws Exception {
        Path ca = init();
        provision(ca, "op1", "operator", "password");
        provision(ca, "d1", "device", "password");
        String serial = SiteCa.open(ca, java.time.Clock.systemUTC()).identity("op1").orElseThrow().serial()
                .toString(16);

        SecureSite.Result result = SecureSite.run(new RevokeCommand(), "--device", "op1", "--ca", ca.toString());

        assertThat(result.code()).as(result.toString()).isZero();
        assertThat(Files.readString(ca.resolve("passwd"))).doesNotContain("op1:").contains("d1:");
        assertThat(Files.readString(ca.resolve("acl"))).doesNotContain("user op1");
        X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509")
                .generateCRL(new ByteArrayInputStream(Files.readAllBytes(ca.resolve("crl.pem"))));
        crl.verify(Pem.certificates(Files.readString(ca.resolve("ca.crt"))).get(0).getPublicKey());
        assertThat(crl.getRevokedCertificates()).extracting(c -> c.getSerialNumber().toString(16))
                .containsExactly(serial);
        assertThat(SecureSite.run(new RevokeCommand(), "--device", "op1", "--ca", ca.toString()).code()).isEqualTo(1);
    }

    @Test
    void provisioningForAnotherSitesCaIsRefused() {
        Path ca = init();
        SecureSite.Result result = SecureSite.run(new ProvisionCommand(), "--site", "plant-2", "--device", "d1",
                "--ca", ca.toString(), "--out", temp.resolve("b").toString());
        assertThat(result.code()).isEqualTo(1);
        assertThat(result.err()).contains("is for site 'plant-1'");
    }

    @Test
    void aPasswordIsNeverAcceptedOnTheCommandLine() {
        Path ca = init();
        SecureSite.Result result = SecureSite.run(new ProvisionCommand(), "--site", "plant-1", "--device", "d1",
                "--ca", ca.toString(), "--out", temp.resolve("b").toString(), "--password=hunter2hunter2");
        assertThat(result.code()).isNotZero();
        assertThat(temp.resolve("b")).doesNotExist();
    }
}
