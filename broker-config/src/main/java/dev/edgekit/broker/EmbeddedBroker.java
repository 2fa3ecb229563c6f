package dev.edgekit.broker;

import com.hivemq.embedded.EmbeddedHiveMQ;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process MQTT 5 broker, the zero-install default for {@code edgekit simulate} (HiveMQ Community Edition,
 * embedded: Moquette 0.17 refuses MQTT 5 CONNECT). In memory only, anonymous usage statistics off,
 * our logging kept. It binds loopback only: it has no authentication, so it must not face a network.
 * Boards never need it; it is not in the .deb.
 */
public final class EmbeddedBroker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedBroker.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final EmbeddedHiveMQ hivemq;
    private final Path home;
    private final String host;
    private final int port;

    private EmbeddedBroker(EmbeddedHiveMQ hivemq, Path home, String host, int port) {
        this.hivemq = hivemq;
        this.home = home;
        this.host = host;
        this.port = port;
    }

    /** Starts a broker on a free loopback port. */
    public static EmbeddedBroker start() {
        return start(0);
    }

    /** Starts a broker on 127.0.0.1:{@code port}; 0 picks a free port. */
    public static EmbeddedBroker start(int port) {
        String host = "127.0.0.1";
        int chosen = port == 0 ? freePort(host) : port;
        Path home;
        try {
            home = Files.createTempDirectory("edgekit-broker-");
            Path config = Files.createDirectories(home.resolve("conf"));
            Files.writeString(config.resolve("config.xml"), configXml(host, chosen), StandardCharsets.UTF_8);
            Files.createDirectories(home.resolve("data"));
            Files.createDirectories(home.resolve("extensions"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the embedded broker's folders", e);
        }
        EmbeddedHiveMQ hivemq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(home.resolve("conf"))
                .withDataFolder(home.resolve("data"))
                .withExtensionsFolder(home.resolve("extensions"))
                .withoutLoggingBootstrap()
                .build();
        long started = System.nanoTime();
        try {
            hivemq.start().get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the embedded broker", e);
        } catch (ExecutionException | TimeoutException e) {
            deleteQuietly(home);
            throw new IllegalStateException("the embedded broker did not start on " + host + ":" + chosen + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        }
        log.info("embedded MQTT 5 broker on tcp://{}:{} (started in {} ms)", host, chosen,
                (System.nanoTime() - started) / 1_000_000);
        return new EmbeddedBroker(hivemq, home, host, chosen);
    }

    static String configXml(String host, int port) {
        return """
                <?xml version="1.0"?>
                <hivemq>
                    <listeners>
                        <tcp-listener>
                            <port>%d</port>
                            <bind-address>%s</bind-address>
                        </tcp-listener>
                    </listeners>
                    <persistence>
                        <mode>in-memory</mode>
                    </persistence>
                    <mqtt>
                        <!-- the default of 1000 drops QoS 1 messages for a consumer that falls behind a fleet's burst -->
                        <queued-messages>
                            <max-queue-size>100000</max-queue-size>
                            <strategy>discard</strategy>
                        </queued-messages>
                        <!-- the default of 10 is below an agent's outbox window (16) plus its births: Paho fails the
                             publishes past it, as the Mosquitto configurations' max_inflight_messages 100 never does -->
                        <receive-maximum>
                            <server-receive-maximum>100</server-receive-maximum>
                        </receive-maximum>
                        <!-- Paho records an outgoing alias before it checks the receive maximum, so a publish it then
                             fails leaves the next one to that topic alias-only, and the broker disconnects the client
                             (0x94, topic alias invalid); seen at 1,000 simulated devices. Loopback needs no aliases. -->
                        <topic-alias>
                            <enabled>false</enabled>
                        </topic-alias>
                    </mqtt>
                    <anonymous-usage-statistics>
                        <enabled>false</enabled>
                    </anonymous-usage-statistics>
                </hivemq>
                """.formatted(port, host);
    }

    /** The broker's URI for clients, e.g. {@code tcp://127.0.0.1:41234}. */
    public String uri() {
        return "tcp://" + host + ":" + port;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        try {
            hivemq.stop().get(30, TimeUnit.SECONDS);
            hivemq.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("embedded broker did not stop cleanly: {}", e.getMessage());
        } finally {
            deleteQuietly(home);
        }
    }

    private static int freePort(String host) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + host, e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            log.debug("could not delete {}: {}", dir, e.getMessage());
        }
    }
}
