package dev.edgekit.tools.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** provision refuses ids of the $time tree; provision and revoke leave the broker's files readable by the broker. */
class ReservedIdsAndFileOwnershipTest {
    @TempDir
    Path temp;

    private Path init() {
        Path ca = temp.resolve("ca");
        SecureSite.Result r = SecureSite.run(new CaCommand(), "init", "--site", "plant-1", "--out", ca.toString(),
                "--host", "localhost", "--data", temp.resolve("data").toString());
        assertThat(r.code()).as(r.toString()).isZero();
        return ca;
    }

    private static SecureSite.Result provision(Path ca, String id, Path out) {
        return SecureSite.run(new ProvisionCommand(), "--site", "plant-1", "--device", id, "--ca", ca.toString(),
                "--out", out.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"request", "announce", "reply", "berkeley", "members", "poll", "adjust"})
    void anIdThatIsALevelOfTheTimeTreeIsRefusedWithOneLineAndNothingWritten(String id) throws Exception {
        Path ca = init();
        String identities = Files.readString(ca.resolve("identities.tsv"));
        String acl = Files.readString(ca.resolve("acl"));

        SecureSite.Result result = provision(ca, id, temp.resolve("bundle"));

        assertThat(result.code()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("edgekit provision: identity id '" + id + "' is reserved: it is a level"
                + " of the $time topic tree (adjust, announce, berkeley, members, poll, reply, request are not allowed"
                + " as ids)" + System.lineSeparator());
        assertThat(temp.resolve("bundle")).doesNotExist();
        assertThat(Files.readString(ca.resolve("identities.tsv"))).isEqualTo(identities);
        assertThat(Files.readString(ca.resolve("acl"))).isEqualTo(acl);
        assertThat(Files.readString(ca.resolve("passwd"))).isEmpty();
    }

    @Test
    void idsThatMerelyContainAReservedWordAreFine() {
        Path ca = init();
        assertThat(provision(ca, "request-1", temp.resolve("b1")).code()).isZero();
        assertThat(provision(ca, "reply2", temp.resolve("b2")).code()).isZero();
    }

    @Test
    void provisionAndRevokeKeepTheModeOfTheBrokersFilesAndNeverOpenASecretToOthers() throws Exception {
        Path ca = init();
        Files.setPosixFilePermissions(ca.resolve("passwd"), PosixFilePermissions.fromString("rw-r-----"));
        Files.setPosixFilePermissions(ca.resolve("acl"), PosixFilePermissions.fromString("rw-r-----"));
        Files.setPosixFilePermissions(ca.resolve("crl.pem"), PosixFilePermissions.fromString("rw-rw-r--"));

        assertThat(provision(ca, "d1", temp.resolve("b1")).code()).isZero();
        assertThat(mode(ca.resolve("passwd"))).isEqualTo("rw-r-----");
        assertThat(mode(ca.resolve("acl"))).isEqualTo("rw-r-----");
        assertThat(mode(ca.resolve("crl.pem"))).isEqualTo("rw-rw-r--");

        Files.setPosixFilePermissions(ca.resolve("passwd"), PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(SecureSite.run(new RevokeCommand(), "--device", "d1", "--ca", ca.toString()).code()).isZero();
        assertThat(mode(ca.resolve("passwd"))).isEqualTo("rw-r-----"); // a secret: others lose read
        assertThat(mode(ca.resolve("acl"))).isEqualTo("rw-r-----");
    }

    @Test
    void provisionAndRevokeKeepTheOwnerAndGroupTheBrokerReadsThePasswordFileAs() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "changing a file's owner needs root");
        UserPrincipal mosquitto;
        GroupPrincipal group;
        try {
            var lookup = temp.getFileSystem().getUserPrincipalLookupService();
            mosquitto = lookup.lookupPrincipalByName("mosquitto");
            group = lookup.lookupPrincipalByGroupName("mosquitto");
        } catch (UserPrincipalNotFoundException e) {
            assumeTrue(false, "no user mosquitto (apt-get install mosquitto creates it)");
            return;
        }
        Path ca = init();
        Path passwd = ca.resolve("passwd");
        PosixFileAttributeView view = Files.getFileAttributeView(passwd, PosixFileAttributeView.class);
        view.setOwner(mosquitto);
        view.setGroup(group);
        Files.setPosixFilePermissions(passwd, PosixFilePermissions.fromString("rw-------"));

        assertThat(provision(ca, "d1", temp.resolve("b1")).code()).isZero();
        assertThat(provision(ca, "d2", temp.resolve("b2")).code()).isZero();
        assertThat(SecureSite.run(new RevokeCommand(), "--device", "d1", "--ca", ca.toString()).code()).isZero();

        PosixFileAttributes after = Files.readAttributes(passwd, PosixFileAttributes.class);
        assertThat(after.owner()).isEqualTo(mosquitto);
        assertThat(after.group()).isEqualTo(group);
        assertThat(PosixFilePermissions.toString(after.permissions())).isEqualTo("rw-------");
        assertThat(Files.readString(passwd)).startsWith("d2:").doesNotContain("d1:");
    }

    private static String mode(Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }
}
