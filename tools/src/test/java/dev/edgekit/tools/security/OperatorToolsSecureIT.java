package dev.edgekit.tools.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgekit.protocol.message.Birth;
import dev.edgekit.protocol.message.Capability;
import dev.edgekit.protocol.message.Codec;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.protocol.mqtt.Outgoing;
import dev.edgekit.protocol.topic.Topics;
import dev.edgekit.testkit.MosquittoProcess;
import dev.edgekit.tools.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * {@code edgekit devices} (the same FleetWatch flags as monitor and dashboard) on a secured site: with the bundle
 * {@code provision --role operator} wrote it connects over TLS and lists the fleet; without it, it says why in one line.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OperatorToolsSecureIT {
    @TempDir
    Path temp;
    private SecureSite site;

    @BeforeEach
    void site() {
        site = new SecureSite(temp, "s1", "--host", "localhost", "--ip", "127.0.0.1");
    }

    @AfterEach
    void close() {
        site.close();
    }

    /** Publishes d1's retained birth certificate as d1, through the ACL. */
    private void birth(String uri, Path device, boolean mutual) throws Exception {
        var builder = MqttSession.builder().server(uri).clientId("d1").socketFactory(site.tls(device).socketFactory());
        if (!mutual) {
            builder.credentials("d1", SecureSite.password(device));
        }
        try (MqttSession d1 = builder.build()) {
            d1.connect().get(10, TimeUnit.SECONDS);
            Birth birth = new Birth("d1", "Greenhouse", "s1", new Birth.Board("simulated", "d1"),
                    List.of(Capability.sensor("t", "°C")), "test", null, null, Instant.parse("2026-12-01T00:00:00Z"),
                    1, List.of());
            d1.publish(Outgoing.retained(Topics.state("s1", "d1").topic(), new Codec().encode(birth), 1))
                    .get(10, TimeUnit.SECONDS);
        }
    }

    private record Run(int code, String out, String err) {
    }

    private static Run devices(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        PrintStream old = System.out;
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            CommandLine cli = Main.commandLine();
            cli.setErr(new PrintWriter(err, true));
            code = cli.execute(args);
        } finally {
            System.setOut(old);
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"password", "certificate"})
    void theOperatorsBundleLetsDevicesReadASecuredSite(String auth) throws Exception {
        Path device = site.provision("d1", "device", auth);
        Path operator = site.provision("op1", "operator", auth);
        MosquittoProcess broker = site.startBroker(auth.equals("certificate"));
        String uri = SecureSite.tlsUri(broker);
        birth(uri, device, auth.equals("certificate"));

        Run run = devices("devices", "--broker", uri, "--bundle", operator.toString(), "--site", "s1", "--json",
                "--settle", "1s");
        assertThat(run.code()).as(run.err()).isZero();
        JsonNode list = new ObjectMapper().readTree(run.out());
        assertThat(list).hasSize(1);
        assertThat(list.get(0).path("name").asText()).isEqualTo("Greenhouse");
    }

    @Test
    void anOperatorSetsAShadowThroughTheKeeperOnASecuredSite() throws Exception {
        Path keeperBundle = site.provision("keeper", "shadow-keeper", "password");
        Path operator = site.provision("op1", "operator", "password");
        MosquittoProcess broker = site.startBroker(false);
        String uri = SecureSite.tlsUri(broker);
        try (MqttSession keeping = MqttSession.builder().server(uri).clientId("keeper")
                .socketFactory(site.tls(keeperBundle).socketFactory())
                .credentials("keeper", SecureSite.password(keeperBundle)).build()) {
            keeping.connect().get(10, TimeUnit.SECONDS);
            new dev.edgekit.console.shadow.ShadowKeeper(keeping, "s1",
                    new dev.edgekit.protocol.clock.HybridLogicalClock(java.time.Clock.systemUTC())).start().get(10, TimeUnit.SECONDS);

            Run set = devices("shadow", "set", "d1", "{\"fan\":40}", "--broker", uri, "--bundle",
                    operator.toString(), "--site", "s1");
            assertThat(set.code()).as(set.out() + set.err()).isZero();
            Run get = devices("shadow", "get", "d1", "--broker", uri, "--bundle", operator.toString(), "--site", "s1");
            assertThat(get.code()).as(get.err()).isZero();
            assertThat(get.out()).contains("\"fan\":40");
        }
    }

    @Test
    void theSeparateFlagsWorkLikeTheBundle() throws Exception {
        Path device = site.provision("d1", "device", "password");
        Path operator = site.provision("op1", "operator", "password");
        MosquittoProcess broker = site.startBroker(false);
        String uri = SecureSite.tlsUri(broker);
        birth(uri, device, false);
        Run run = devices("devices", "--broker", uri, "--cafile", operator.resolve("ca.crt").toString(),
                "--username", "op1", "--password-file", operator.resolve("password").toString(), "--site", "s1",
                "--settle", "1s");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("d1").contains("Greenhouse").contains("1 device");
    }

    @Test
    void badOrMissingCredentialsGetOneLineBeforeAnythingConnects() {
        Path operator = site.provision("op1", "operator", "password");
        Run noCa = devices("devices", "--broker", "ssl://127.0.0.1:1", "--settle", "1s");
        assertThat(noCa.code()).isEqualTo(1);
        assertThat(noCa.err()).contains("TLS needs --cafile or --bundle").hasLineCount(1);
        Run keyless = devices("devices", "--broker", "ssl://127.0.0.1:1", "--bundle", operator.toString(),
                "--cert", operator.resolve("ca.crt").toString());
        assertThat(keyless.err()).contains("--cert: needs --key");
        Run plainWithCa = devices("devices", "--broker", "tcp://127.0.0.1:1", "--cafile",
                operator.resolve("ca.crt").toString());
        assertThat(plainWithCa.err()).contains("--cafile: the broker URL must be ssl://");
        Run missing = devices("devices", "--broker", "ssl://127.0.0.1:1", "--bundle", temp.resolve("nope").toString());
        assertThat(missing.err()).contains("--bundle:").contains("is not a folder");
    }
}
