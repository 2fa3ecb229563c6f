package dev.edgekit.tools.security;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MosquittoPasswordsTest {
    /** Written by Mosquitto 2.0.11's own tool: {@code mosquitto_passwd -b pw alice secret}. */
    private static final String FROM_MOSQUITTO_PASSWD = "alice:$7$101$xDaaEW/tpwiBpffb$MzD5s5jfAlKNQ2auIxuJmRANiBEVB4"
            + "sYtx2YevTZlCcMC/jTNf9ASxHfFv3KENZLl5v+XuCbTrRQHbKMopv3lw==";

    @Test
    void aLineWrittenByMosquittoPasswdVerifiesWithItsPasswordOnly() {
        assertThat(MosquittoPasswords.verify(FROM_MOSQUITTO_PASSWD, "secret".getBytes(UTF_8))).isTrue();
        assertThat(MosquittoPasswords.verify(FROM_MOSQUITTO_PASSWD, "secreT".getBytes(UTF_8))).isFalse();
    }

    @Test
    void ourLinesHaveMosquittoPasswdsShapeAndVerify() {
        String line = MosquittoPasswords.hashLine("d1", "pw-123456789".getBytes(UTF_8), new SplittableRandom(7));

        assertThat(line).matches("d1:\\$7\\$101\\$[A-Za-z0-9+/]{16}\\$[A-Za-z0-9+/]{86}==");
        assertThat(MosquittoPasswords.verify(line, "pw-123456789".getBytes(UTF_8))).isTrue();
        assertThat(MosquittoPasswords.verify(line, "pw-12345678".getBytes(UTF_8))).isFalse();
    }

    @Test
    void twoHashesOfOnePasswordDifferByTheirSalt() {
        byte[] password = "same-password".getBytes(UTF_8);
        SplittableRandom random = new SplittableRandom(1);
        assertThat(MosquittoPasswords.hashLine("d1", password, random))
                .isNotEqualTo(MosquittoPasswords.hashLine("d1", password, random));
    }

    @Test
    void puttingAUserReplacesOnlyItsLineAndRemovingTakesItOut(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("passwd");
        MosquittoPasswords.put(file, "d1", "d1:$7$first");
        MosquittoPasswords.put(file, "d10", "d10:$7$other");
        MosquittoPasswords.put(file, "d1", "d1:$7$second");

        assertThat(Files.readAllLines(file)).containsExactly("d10:$7$other", "d1:$7$second");
        assertThat(MosquittoPasswords.remove(file, "d1")).isTrue();
        assertThat(MosquittoPasswords.remove(file, "d1")).isFalse();
        assertThat(Files.readAllLines(file)).containsExactly("d10:$7$other");
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(SecureFiles.PRIVATE);
    }
}
