package dev.edgekit.tools.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walkthrough as written, as root: {@code ca init}, {@code provision}, {@code mosquitto -c DIR/mosquitto.conf -d}
 * (which drops to the user {@code mosquitto}), {@code provision} and {@code revoke} again, {@code kill -HUP}. The
 * broker must start, log, write its pid file, and read the password file after every reload.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BrokerAsItsOwnUserIT {
    @TempDir
    Path temp;

    private long pid = -1;

    @AfterEach
    void stopBroker() throws Exception {
        if (pid > 0) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        }
    }

    @Test
    void aDaemonisedBrokerStartedAsRootKeepsReadingItsFilesAcrossProvisionAndRevoke() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "the broker drops privileges only when root");
        assumeTrue(new ProcessBuilder("id", "mosquitto").start().waitFor() == 0, "no user mosquitto");
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x")); // reachable by mosquitto
        Path ca = temp.resolve("plant-1-ca");
        int port = freePort();
        SecureSite.Result init = SecureSite.run(new CaCommand(), "init", "--site", "plant-1", "--out", ca.toString(),
                "--host", "localhost", "--ip", "127.0.0.1", "--port", Integer.toString(port),
                "--data", ca.resolve("data").toString());
        assertThat(init.code()).as(init.toString()).isZero();
        // loopback only in tests; everything else as rendered
        Path conf = ca.resolve("mosquitto.conf");
        Files.writeString(conf, Files.readString(conf).replace("listener " + port + "\n",
                "listener " + port + " 127.0.0.1\n"));
        Path d1 = provision(ca, "d1");

        Process start = new ProcessBuilder("mosquitto", "-c", conf.toString(), "-d").redirectErrorStream(true).start();
        assertThat(start.waitFor(10, TimeUnit.SECONDS)).isTrue();
        Path pidFile = ca.resolve("run/mosquitto.pid");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(pidFile) && Files.size(pidFile) > 0);
        pid = Long.parseLong(Files.readString(pidFile).strip());
        String uri = "ssl://127.0.0.1:" + port;
        SocketFactory tls = SecureSite.tls(ca.resolve("ca.crt"), d1).socketFactory();
        await().atMost(Duration.ofSeconds(10)).until(() -> connect(uri, "d1", d1, tls) == 0);

        Path d2 = provision(ca, "d2");
        reload();
        await().atMost(Duration.ofSeconds(10)).until(() -> connect(uri, "d2", d2, tls) == 0);

        assertThat(SecureSite.run(new RevokeCommand(), "--device", "d2", "--ca", ca.toString()).code()).isZero();
        reload();
        await().atMost(Duration.ofSeconds(10)).until(() -> connect(uri, "d2", d2, tls) == 135);
        assertThat(connect(uri, "d1", d1, tls)).isZero();

        String log = Files.readString(ca.resolve("run/mosquitto.log"));
        assertThat(log).contains("mosquitto version", "Reloading config").doesNotContain("Error", "Warning");
    }

    private Path provision(Path ca, String id) {
        Path bundle = temp.resolve("bundle-" + id);
        SecureSite.Result r = SecureSite.run(new ProvisionCommand(), "--site", "plant-1", "--device", id, "--ca",
                ca.toString(), "--out", bundle.toString(), "--install-dir", bundle.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        return bundle;
    }

    private void reload() throws Exception {
        assertThat(new ProcessBuilder("kill", "-HUP", Long.toString(pid)).start().waitFor()).isZero();
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }

    /** One connect: 0 when accepted, else the MQTT reason code (135: not authorised). */
    private static int connect(String uri, String user, Path bundle, SocketFactory factory) throws Exception {
        MqttClient client = new MqttClient(uri, user, new MemoryPersistence());
        try {
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setSocketFactory(factory);
            options.setConnectionTimeout(5);
            options.setUserName(user);
            options.setPassword(SecureSite.password(bundle));
            client.connect(options);
            client.disconnect();
            return 0;
        } catch (MqttException e) {
            return e.getReasonCode() == 0 ? -1 : e.getReasonCode();
        } finally {
            client.close(true);
        }
    }
}
