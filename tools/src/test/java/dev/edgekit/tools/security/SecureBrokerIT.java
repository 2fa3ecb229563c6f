package dev.edgekit.tools.security;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.edgekit.protocol.mqtt.Inbound;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.protocol.mqtt.Outgoing;
import dev.edgekit.testkit.MosquittoProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.SocketFactory;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protections of {@code secure.conf} and the provisioned ACL, each checked on a real Mosquitto together with a
 * positive control, so that every test fails if its protection is removed.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SecureBrokerIT {
    private static final Logger log = LoggerFactory.getLogger(SecureBrokerIT.class);
    private static final String ROOT = "edgekit/v1/s1/";

    @TempDir
    Path temp;
    private SecureSite site;
    private final List<MqttSession> sessions = new ArrayList<>();

    @BeforeEach
    void site() {
        site = new SecureSite(temp, "s1", "--host", "localhost", "--ip", "127.0.0.1");
    }

    @AfterEach
    void close() {
        sessions.parallelStream().forEach(MqttSession::close);
        site.close();
    }

    // ---- authentication ---------------------------------------------------------------------------------------------

    @Test
    void anAnonymousClientIsRefused() {
        Path d1 = site.provision("d1", "device", "password");
        MosquittoProcess broker = site.startBroker(false);
        SocketFactory tls = site.tls(d1).socketFactory();

        assertThat(connect(SecureSite.tlsUri(broker), "d1", null, null, tls)).isIn(0x86, 0x87);
        assertThat(connect(SecureSite.tlsUri(broker), "d1", "d1", SecureSite.password(d1), tls)).isZero();
    }

    @Test
    void aWrongPasswordIsRefused() {
        Path d1 = site.provision("d1", "device", "password");
        MosquittoProcess broker = site.startBroker(false);
        SocketFactory tls = site.tls(d1).socketFactory();

        assertThat(connect(SecureSite.tlsUri(broker), "d1", "d1", "not-the-password".getBytes(UTF_8), tls))
                .isIn(0x86, 0x87);
        assertThat(connect(SecureSite.tlsUri(broker), "d1", "d2", SecureSite.password(d1), tls)).isIn(0x86, 0x87);
        assertThat(connect(SecureSite.tlsUri(broker), "d1", "d1", SecureSite.password(d1), tls)).isZero();
    }

    @Test
    void plainTcpIsRefused() {
        Path d1 = site.provision("d1", "device", "password");
        MosquittoProcess broker = site.startBroker(false);

        assertThat(connect("tcp://127.0.0.1:" + broker.port(), "d1", "d1", SecureSite.password(d1),
                SocketFactory.getDefault())).isNotZero();
        assertThat(connect(SecureSite.tlsUri(broker), "d1", "d1", SecureSite.password(d1),
                site.tls(d1).socketFactory())).isZero();
    }

    @Test
    void theBrokerOpensNoListenerButTheTlsOne() throws Exception {
        site.provision("d1", "device", "password");
        MosquittoProcess broker = site.startBroker(false);

        // a listener option above the first listener line would make Mosquitto open a plain default one on 1883
        Process ss = new ProcessBuilder("ss", "-H", "-ltnp").redirectErrorStream(true).start();
        List<String> sockets = new String(ss.getInputStream().readAllBytes(), UTF_8).lines()
                .filter(l -> l.contains("pid=" + broker.pid() + ",")).toList();
        assertThat(sockets).isNotEmpty().allMatch(l -> l.contains(" 127.0.0.1:" + broker.port() + " "));
    }

    @Test
    void aBrokerCertificateForAnotherHostIsRefusedByTheClient() {
        SecureSite elsewhere = new SecureSite(temp.resolve("elsewhere"), "s1", "--host", "broker.example.org");
        Path d1 = elsewhere.provision("d1", "device", "password");
        MosquittoProcess broker = elsewhere.startBroker(false);
        try {
            // same CA, valid chain, but the certificate does not name 127.0.0.1: host-name verification must refuse
            assertThat(connect(SecureSite.tlsUri(broker), "d1", "d1", SecureSite.password(d1),
                    elsewhere.tls(d1).socketFactory())).isNotZero();
        } finally {
            elsewhere.close();
        }
        // the control: the same client setup against a broker whose certificate names 127.0.0.1
        Path d1here = site.provision("d1", "device", "password");
        assertThat(connect(SecureSite.tlsUri(site.startBroker(false)), "d1", "d1", SecureSite.password(d1here),
                site.tls(d1here).socketFactory())).isZero();
    }

    @Test
    void aClientCertificateFromAnotherCaIsRefused() {
        Path c1 = site.provision("c1", "device", "certificate");
        SecureSite other = new SecureSite(temp.resolve("other"), "s1", "--host", "localhost", "--ip", "127.0.0.1");
        Path forged = other.provision("c1", "device", "certificate");
        MosquittoProcess broker = site.startBroker(true);

        // trusts the real site CA (so the broker is authenticated) but presents a certificate from another CA
        var forgedTls = dev.edgekit.protocol.mqtt.MqttTls.trusting(site.caDir.resolve("ca.crt"))
                .withClientCertificate(forged.resolve("client.crt"), forged.resolve("client.key"));
        assertThat(connect(SecureSite.tlsUri(broker), "c1", null, null, forgedTls.socketFactory())).isNotZero();
        // no certificate at all
        assertThat(connect(SecureSite.tlsUri(broker), "c1", "c1", null,
                dev.edgekit.protocol.mqtt.MqttTls.trusting(site.caDir.resolve("ca.crt")).socketFactory()))
                .isNotZero();
        assertThat(connect(SecureSite.tlsUri(broker), "c1", null, null, site.tls(c1).socketFactory())).isZero();
    }

    @Test
    void aRevokedPasswordDeviceIsRefusedAfterTheBrokerReloads() {
        Path d1 = site.provision("d1", "device", "password");
        MosquittoProcess broker = site.startBroker(false);
        MqttSession connected = session(broker, "d1", d1);
        connected.connect().join();

        site.revoke("d1");
        SecureSite.reload(broker);

        await().atMost(Duration.ofSeconds(15)).until(() -> !connected.isConnected());
        assertThat(connect(SecureSite.tlsUri(broker), "d1", "d1", SecureSite.password(d1),
                site.tls(d1).socketFactory())).isIn(0x86, 0x87);
    }

    @Test
    void aRevokedCertificateIsRefusedAfterTheBrokerReloads() {
        Path c1 = site.provision("c1", "device", "certificate");
        Path c2 = site.provision("c2", "device", "certificate");
        MosquittoProcess broker = site.startBroker(true);
        assertThat(connect(SecureSite.tlsUri(broker), "c1", null, null, site.tls(c1).socketFactory())).isZero();
        MqttSession connected = session(broker, "c1", c1);
        connected.connect().join();

        site.revoke("c1");
        SecureSite.reload(broker); // Mosquitto 2.0.11 re-reads crlfile on SIGHUP

        log.info("revoked certificate's open session after SIGHUP: QoS 1 publish {}, connects {}",
                outcome(connected.publish(Outgoing.of(ROOT + "c1/heartbeat", new byte[1], 1))),
                connected.stats().connects());

        assertThat(connect(SecureSite.tlsUri(broker), "c1", null, null, site.tls(c1).socketFactory())).isNotZero();
        assertThat(connect(SecureSite.tlsUri(broker), "c2", null, null, site.tls(c2).socketFactory())).isZero();
        broker.restart();
        assertThat(connect(SecureSite.tlsUri(broker), "c1", null, null, site.tls(c1).socketFactory())).isNotZero();
    }

    @Test
    void aClientCertificatesCommonNameIsItsIdentity() {
        Path c1 = site.provision("c1", "device", "certificate");
        Path op = site.provision("op1", "operator", "certificate");
        MosquittoProcess broker = site.startBroker(true);
        MqttSession operator = session(broker, "op1", op);
        List<Inbound> seen = collect(operator, ROOT + "#");
        // c1 claims another username and client id: the broker uses its certificate's CN instead
        MqttSession device = MqttSession.builder().server(SecureSite.tlsUri(broker)).clientId("c2")
                .credentials("c2", null).socketFactory(site.tls(c1).socketFactory()).build();
        sessions.add(device);
        device.connect().join();

        device.publish(Outgoing.of(ROOT + "c2/state", "forged".getBytes(UTF_8), 1)).handle((x, e) -> null).join();
        device.publish(Outgoing.of(ROOT + "c1/state", "own".getBytes(UTF_8), 1)).join();

        await().until(() -> seen.stream().anyMatch(m -> m.topic().equals(ROOT + "c1/state")));
        assertThat(seen).extracting(Inbound::topic).containsExactly(ROOT + "c1/state");
    }

    @Test
    void oneIdentityCannotTakeOverAnothersSessionByItsClientId() {
        Path d1 = site.provision("d1", "device", "password");
        Path d2 = site.provision("d2", "device", "password");
        MosquittoProcess broker = site.startBroker(false);
        MqttSession victim = session(broker, "d1", d1);
        victim.connect().join();

        MqttSession intruder = MqttSession.builder().server(SecureSite.tlsUri(broker)).clientId("d1")
                .credentials("d2", SecureSite.password(d2)).socketFactory(site.tls(d2).socketFactory()).build();
        sessions.add(intruder);
        intruder.connect().join();

        // had the broker let the intruder take client id d1, it would have closed the victim's connection before
        // accepting the intruder: the victim's next acknowledged publish proves its first connection is still up
        victim.publish(Outgoing.of(ROOT + "d1/heartbeat", "1".getBytes(UTF_8), 1)).join();
        assertThat(victim.stats().connects()).isEqualTo(1);
        assertThat(victim.isConnected()).isTrue();
    }

    // ---- authorisation ----------------------------------------------------------------------------------------------

    @Test
    void aDeviceCannotPublishAsAnotherDevice() {
        Path d1 = site.provision("d1", "device", "password");
        Path op = site.provision("op1", "operator", "password");
        MosquittoProcess broker = site.startBroker(false);
        List<Inbound> seen = collect(session(broker, "op1", op), ROOT + "#");
        MqttSession device = session(broker, "d1", d1);
        device.connect().join();

        for (String foreign : List.of("d2/state", "d2/heartbeat", "d2/telemetry/temp", "d2/event/button",
                "d2/reply/op1/x")) {
            String outcome = outcome(device.publish(Outgoing.of(ROOT + foreign, "spoof".getBytes(UTF_8), 1)));
            log.info("unauthorised QoS 1 publish on {}: {}", foreign, outcome);
        }
        device.publish(Outgoing.of(ROOT + "d2/state", "spoof".getBytes(UTF_8), 0)).join();
        device.publish(Outgoing.of(ROOT + "d1/telemetry/temp", "own".getBytes(UTF_8), 1)).join();

        await().until(() -> seen.stream().anyMatch(m -> m.topic().equals(ROOT + "d1/telemetry/temp")));
        assertThat(seen).extracting(Inbound::topic).containsExactly(ROOT + "d1/telemetry/temp");
    }

    @Test
    void aDeviceCannotAnswerTimeRequestsButATimeServerCan() {
        Path d1 = site.provision("d1", "device", "password");
        Path d2 = site.provision("d2", "device", "password");
        Path ts = site.provision("ts1", "time-server", "password");
        MosquittoProcess broker = site.startBroker(false);
        MqttSession client = session(broker, "d2", d2);
        List<Inbound> heard = collect(client, ROOT + "$time/reply/d2");
        MqttSession impostor = session(broker, "d1", d1);
        impostor.connect().join();
        MqttSession server = session(broker, "ts1", ts);
        server.connect().join();

        List<Inbound> requests = collect(server, ROOT + "$time/ts1/request");
        client.publish(Outgoing.of(ROOT + "$time/ts1/request", "what time is it".getBytes(UTF_8), 1)).join();
        await().until(() -> !requests.isEmpty()); // a device may ask; the server hears it on its own request topic
        for (String topic : List.of("$time/reply/d2", "$time/berkeley/d2/adjust", "$time/d1/announce",
                "$time/berkeley/d2/poll", "$election/leader")) {
            log.info("device publish on {}: {}", topic,
                    outcome(impostor.publish(Outgoing.of(ROOT + topic, "fake".getBytes(UTF_8), 1))));
        }
        server.publish(Outgoing.of(ROOT + "$time/reply/d2", "real".getBytes(UTF_8), 1)).join();

        await().until(() -> !heard.isEmpty());
        assertThat(heard).extracting(m -> SecureSite.text(m.payload())).containsExactly("real");
    }

    @Test
    void aDeviceCannotReadAnotherDevicesCommandsAndAnOperatorsCommandReachesOnlyTheAddressedDevice() {
        Path d1 = site.provision("d1", "device", "password");
        Path d2 = site.provision("d2", "device", "password");
        Path op = site.provision("op1", "operator", "password");
        MosquittoProcess broker = site.startBroker(false);
        MqttSession target = session(broker, "d1", d1);
        List<Inbound> targetSaw = collect(target, ROOT + "d1/cmd/+");
        MqttSession snoop = session(broker, "d2", d2);
        List<Inbound> snoopSaw = new CopyOnWriteArrayList<>();
        var direct = snoop.subscribe(ROOT + "d1/cmd/+", 1, snoopSaw::add);
        var wildcard = snoop.subscribe(ROOT + "+/cmd/+", 1, snoopSaw::add);
        var own = snoop.subscribe(ROOT + "d2/cmd/+", 1, snoopSaw::add);
        snoop.connect().join();
        own.granted().join();
        log.info("snooping subscriptions: direct {}, wildcard {}", outcome(direct.granted()),
                outcome(wildcard.granted()));
        MqttSession operator = session(broker, "op1", op);
        operator.connect().join();

        operator.publish(Outgoing.of(ROOT + "d1/cmd/reboot", "for d1".getBytes(UTF_8), 1)).join();
        await().until(() -> !targetSaw.isEmpty());
        operator.publish(Outgoing.of(ROOT + "d2/cmd/ping", "for d2".getBytes(UTF_8), 1)).join();

        await().until(() -> snoopSaw.stream().anyMatch(m -> m.topic().equals(ROOT + "d2/cmd/ping")));
        assertThat(targetSaw).extracting(Inbound::topic).containsExactly(ROOT + "d1/cmd/reboot");
        assertThat(snoopSaw).extracting(Inbound::topic).allMatch(t -> t.equals(ROOT + "d2/cmd/ping"));
    }

    @Test
    void aDeviceCannotCommandAnotherDevice() {
        Path d1 = site.provision("d1", "device", "password");
        Path d2 = site.provision("d2", "device", "password");
        Path op = site.provision("op1", "operator", "password");
        MosquittoProcess broker = site.startBroker(false);
        MqttSession target = session(broker, "d2", d2);
        List<Inbound> targetSaw = collect(target, ROOT + "d2/cmd/+");
        MqttSession rogue = session(broker, "d1", d1);
        rogue.connect().join();
        MqttSession operator = session(broker, "op1", op);
        operator.connect().join();

        // once the broker has acknowledged (or refused) the QoS 1 publish, it has routed or dropped it
        log.info("device command to another device: {}",
                outcome(rogue.publish(Outgoing.of(ROOT + "d2/cmd/reboot", "rogue".getBytes(UTF_8), 1))));
        operator.publish(Outgoing.of(ROOT + "d2/cmd/ping", "operator".getBytes(UTF_8), 1)).join();

        await().until(() -> !targetSaw.isEmpty());
        assertThat(targetSaw).extracting(m -> SecureSite.text(m.payload())).containsExactly("operator");
    }

    @Test
    void plainOutputCommandsComeOnlyFromOperatorsAndOutputStatesAndDiscoveryOnlyFromTheirDevice() {
        Path d1 = site.provision("d1", "device", "password");
        Path d2 = site.provision("d2", "device", "password");
        Path op = site.provision("op1", "operator", "password");
        MosquittoProcess broker = site.startBroker(false);
        MqttSession target = session(broker, "d1", d1);
        List<Inbound> targetSaw = collect(target, ROOT + "d1/output/+/set");
        MqttSession operator = session(broker, "op1", op);
        List<Inbound> operatorSaw = collect(operator, ROOT + "+/output/+");
        List<Inbound> discovery = new CopyOnWriteArrayList<>();
        operator.subscribe("homeassistant/device/+/config", 1, discovery::add).granted().join();
        MqttSession rogue = session(broker, "d2", d2);
        rogue.connect().join();

        log.info("device plain command to another device: {}", outcome(rogue.publish(
                Outgoing.of(ROOT + "d1/output/fan/set", "100".getBytes(UTF_8), 1))));
        log.info("device forging another's output state: {}", outcome(rogue.publish(
                Outgoing.retained(ROOT + "d1/output/fan", "{\"v\":1,\"on\":true,\"duty\":100}".getBytes(UTF_8), 1))));
        log.info("device forging another's discovery: {}", outcome(rogue.publish(
                Outgoing.retained("homeassistant/device/d1/config", "{}".getBytes(UTF_8), 1))));
        rogue.publish(Outgoing.retained("homeassistant/device/d2/config", "{\"own\":1}".getBytes(UTF_8), 1)).join();
        rogue.publish(Outgoing.retained(ROOT + "d2/output/fan", "{\"v\":1}".getBytes(UTF_8), 1)).join();
        operator.publish(Outgoing.of(ROOT + "d1/output/fan/set", "40".getBytes(UTF_8), 1)).join();

        await().until(() -> !targetSaw.isEmpty() && !discovery.isEmpty() && !operatorSaw.isEmpty());
        assertThat(targetSaw).extracting(m -> SecureSite.text(m.payload())).containsExactly("40");
        assertThat(discovery).extracting(Inbound::topic).containsExactly("homeassistant/device/d2/config");
        assertThat(operatorSaw).extracting(Inbound::topic).containsExactly(ROOT + "d2/output/fan");
    }

    @Test
    void onlyTheKeeperWritesDesiredDocumentsAndOnlyTheDeviceItsReport() {
        Path d1 = site.provision("d1", "device", "password");
        Path d2 = site.provision("d2", "device", "password");
        Path op = site.provision("op1", "operator", "password");
        Path keeper = site.provision("keeper", "shadow-keeper", "password");
        MosquittoProcess broker = site.startBroker(false);
        MqttSession device = session(broker, "d1", d1);
        List<Inbound> desiredSeen = collect(device, ROOT + "d1/shadow/desired");
        MqttSession keeping = session(broker, "keeper", keeper);
        List<Inbound> updates = collect(keeping, ROOT + "+/shadow/update");
        MqttSession operator = session(broker, "op1", op);
        List<Inbound> reportedSeen = collect(operator, ROOT + "+/shadow/reported");
        MqttSession rogue = session(broker, "d2", d2);
        rogue.connect().join();

        log.info("operator writing desired directly: {}", outcome(operator.publish(
                Outgoing.retained(ROOT + "d1/shadow/desired", "op".getBytes(UTF_8), 1))));
        log.info("device writing another's desired: {}", outcome(rogue.publish(
                Outgoing.retained(ROOT + "d1/shadow/desired", "rogue".getBytes(UTF_8), 1))));
        log.info("device writing another's report: {}", outcome(rogue.publish(
                Outgoing.retained(ROOT + "d1/shadow/reported", "rogue".getBytes(UTF_8), 1))));
        log.info("operator writing a report: {}", outcome(operator.publish(
                Outgoing.retained(ROOT + "d1/shadow/reported", "op".getBytes(UTF_8), 1))));
        log.info("device writing an update: {}", outcome(rogue.publish(
                Outgoing.of(ROOT + "d1/shadow/update", "rogue".getBytes(UTF_8), 1))));
        operator.publish(Outgoing.of(ROOT + "d1/shadow/update", "op".getBytes(UTF_8), 1)).join();
        keeping.publish(Outgoing.retained(ROOT + "d1/shadow/desired", "keeper".getBytes(UTF_8), 1)).join();
        device.publish(Outgoing.retained(ROOT + "d1/shadow/reported", "d1".getBytes(UTF_8), 1)).join();

        await().until(() -> !desiredSeen.isEmpty() && !updates.isEmpty() && !reportedSeen.isEmpty());
        assertThat(desiredSeen).extracting(m -> SecureSite.text(m.payload())).containsExactly("keeper");
        assertThat(updates).extracting(m -> SecureSite.text(m.payload())).containsExactly("op");
        assertThat(reportedSeen).extracting(m -> SecureSite.text(m.payload())).containsExactly("d1");
    }

    @Test
    void anOversizePacketMakesTheBrokerCloseThatConnectionAndTheSessionReconnects() {
        Path d1 = site.provision("d1", "device", "password");
        MosquittoProcess broker = site.startBroker(false);
        MqttSession device = session(broker, "d1", d1);
        device.connect().join();

        String outcome = outcome(device.publish(Outgoing.of(ROOT + "d1/telemetry/big", new byte[100_000], 1)));
        log.info("oversize publish: {}", outcome);

        await().until(() -> device.stats().connects() >= 2 && device.isConnected());
        device.publish(Outgoing.of(ROOT + "d1/telemetry/small", new byte[100], 1)).join();
    }

    // ---- helpers ----------------------------------------------------------------------------------------------------

    private MqttSession session(MosquittoProcess broker, String id, Path bundle) {
        MqttSession session = MqttSession.builder().server(SecureSite.tlsUri(broker)).clientId(id)
                .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
                .credentials(bundle.resolve("password").toFile().exists() ? id : null,
                        bundle.resolve("password").toFile().exists() ? SecureSite.password(bundle) : null)
                .socketFactory(site.tls(bundle).socketFactory()).build();
        sessions.add(session);
        return session;
    }

    /** Subscribes, connects, waits for the SUBACK and collects what arrives. */
    private static List<Inbound> collect(MqttSession session, String filter) {
        List<Inbound> seen = new CopyOnWriteArrayList<>();
        var subscription = session.subscribe(filter, 1, seen::add);
        session.connect().join();
        subscription.granted().join();
        return seen;
    }

    private static String outcome(CompletableFuture<?> future) {
        try {
            future.get(10, TimeUnit.SECONDS);
            return "accepted";
        } catch (ExecutionException e) {
            return "refused: " + e.getCause().getMessage();
        } catch (TimeoutException e) {
            return "no answer in 10 s";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** One connect with plain Paho: 0 when accepted, else the MQTT reason code or Paho's error code. */
    private static int connect(String uri, String clientId, String user, byte[] password, SocketFactory factory) {
        MqttClient client = null;
        try {
            client = new MqttClient(uri, clientId, new MemoryPersistence());
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setSocketFactory(factory);
            options.setConnectionTimeout(5);
            if (user != null) {
                options.setUserName(user);
            }
            if (password != null) {
                options.setPassword(password);
            }
            client.connect(options);
            client.disconnect();
            return 0;
        } catch (MqttException e) {
            log.info("connect {} as {} to {}: refused, reason {} ({})", clientId, user, uri, e.getReasonCode(),
                    e.getCause() != null ? e.getCause().toString() : e.getMessage());
            return e.getReasonCode() == 0 ? -1 : e.getReasonCode();
        } finally {
            if (client != null) {
                try {
                    client.close(true);
                } catch (MqttException ignored) {
                    // already closed
                }
            }
        }
    }
}
