package dev.edgekit.tools.security;

import dev.edgekit.protocol.mqtt.Inbound;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.protocol.mqtt.MqttTls;
import dev.edgekit.protocol.mqtt.Outgoing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * TLS against plain TCP on loopback, in one run, through one Mosquitto with both listeners (same password file and
 * ACL): the connection setup (TCP connect; TCP connect + a full TLS handshake, no session resumption) and MQTT 5
 * request/response at QoS 1 (an operator commands a device, which replies on its reply topic), blocks of exchanges
 * alternating between the transports. Figures, not assertions: {@code edgekit bench tls}.
 */
public final class TlsBenchmark {
    private static final String SITE = "bench";

    private TlsBenchmark() {
    }

    /** Percentiles in microseconds. */
    public record Stats(int samples, double median, double p99, double p999, double max) {
        static Stats of(long[] nanos) {
            long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            return new Stats(sorted.length, at(sorted, 0.5), at(sorted, 0.99), at(sorted, 0.999),
                    sorted[sorted.length - 1] / 1000.0);
        }

        private static double at(long[] sorted, double q) {
            return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1000.0;
        }
    }

    /** The figures of one transport. */
    public record Figures(String transport, Stats connect, Stats requestResponse) {
    }

    /** The run: plain first, then TLS. */
    public record Report(List<Figures> figures, int connects, int exchanges) {
        public String table() {
            StringBuilder t = new StringBuilder(String.format(Locale.ROOT,
                    "Mosquitto on loopback, one broker, both listeners; %d connects and %d QoS 1 request/response"
                            + " exchanges per transport (µs)%n", connects, exchanges));
            t.append(String.format(Locale.ROOT, "%-5s %-32s %10s %10s %10s %10s%n", "", "", "median", "p99", "p99.9",
                    "max"));
            for (Figures f : figures) {
                row(t, f.transport(), f.transport().equals("tls") ? "connect + full TLS handshake" : "connect",
                        f.connect());
                row(t, f.transport(), "request/response (QoS 1)", f.requestResponse());
            }
            return t.toString();
        }

        private static void row(StringBuilder t, String transport, String what, Stats s) {
            t.append(String.format(Locale.ROOT, "%-5s %-32s %10.0f %10.0f %10.0f %10.0f%n", transport, what,
                    s.median(), s.p99(), s.p999(), s.max()));
        }
    }

    /** Runs against a throwaway Mosquitto and site CA in a temporary folder, deleted after. */
    public static Report run(int connects, int exchanges) {
        Path dir;
        try {
            dir = Files.createTempDirectory("edgekit-bench-tls-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            SiteCa site = SiteCa.init(dir.resolve("ca"), new SiteSettings(SITE, List.of("localhost"),
                    List.of("127.0.0.1"), 8883, AuthMethod.PASSWORD), dir.resolve("data"), Duration.ofDays(2),
                    Duration.ofDays(1), Clock.systemUTC());
            MqttTls tls = MqttTls.trusting(site.caCertificateFile());
            // one identity, one connection (use_username_as_clientid): a pair of identities per transport
            List<Path[]> pairs = new ArrayList<>();
            for (String transport : List.of("tcp", "tls")) {
                pairs.add(new Path[] {provision(site, dir, "op-" + transport, Role.OPERATOR),
                        provision(site, dir, "dev-" + transport, Role.DEVICE)});
            }
            try (LocalMosquitto broker = new LocalMosquitto(site)) {
                Stats plainConnect = connects(broker.plainPort, null, connects);
                Stats tlsConnect = connects(broker.tlsPort, tls.context(), connects);
                long[][] rtt = exchanges(broker, tls, pairs, exchanges);
                return new Report(List.of(new Figures("tcp", plainConnect, Stats.of(rtt[0])),
                        new Figures("tls", tlsConnect, Stats.of(rtt[1]))), connects, exchanges);
            }
        } finally {
            deleteRecursively(dir);
        }
    }

    private static Stats connects(int port, SSLContext tls, int count) {
        int warmup = Math.max(20, count / 5);
        long[] nanos = new long[count];
        for (int i = -warmup; i < count; i++) {
            long start = System.nanoTime();
            try (Socket socket = tls == null ? SocketFactory.getDefault().createSocket()
                    : tls.getSocketFactory().createSocket()) {
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                if (socket instanceof SSLSocket ssl) {
                    var parameters = ssl.getSSLParameters();
                    parameters.setEndpointIdentificationAlgorithm("HTTPS");
                    ssl.setSSLParameters(parameters);
                    ssl.startHandshake();
                    ssl.getSession().invalidate(); // no resumption: every handshake is a full one
                }
                if (i >= 0) {
                    nanos[i] = System.nanoTime() - start;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("connect to port " + port + " failed", e);
            }
        }
        return Stats.of(nanos);
    }

    private static Path provision(SiteCa site, Path dir, String id, Role role) {
        return site.provision(new SiteCa.Request(id, role, AuthMethod.PASSWORD, dir.resolve(id), List.of(),
                dir.resolve(id), Duration.ofDays(1), null)).bundle();
    }

    private record Pair(MqttSession requester, String device, String operator) {
    }

    private static long[][] exchanges(LocalMosquitto broker, MqttTls tls, List<Path[]> bundles, int count) {
        List<MqttSession> sessions = new ArrayList<>();
        try {
            Pair[] pairs = new Pair[2];
            for (int t = 0; t < 2; t++) {
                String transport = t == 0 ? "tcp" : "tls";
                String uri = t == 0 ? "tcp://127.0.0.1:" + broker.plainPort : "ssl://127.0.0.1:" + broker.tlsPort;
                SocketFactory factory = t == 0 ? SocketFactory.getDefault() : tls.socketFactory();
                String device = "dev-" + transport;
                String operator = "op-" + transport;
                MqttSession responder = MqttSession.builder().server(uri).clientId(device)
                        .credentials(device, Files.readAllBytes(bundles.get(t)[1].resolve("password")))
                        .socketFactory(factory).build();
                sessions.add(responder);
                var subscription = responder.subscribe("edgekit/v1/" + SITE + "/" + device + "/cmd/+", 1,
                        request -> responder.respond(request, request.payload(), 1));
                MqttSession requester = MqttSession.builder().server(uri).clientId(operator)
                        .credentials(operator, Files.readAllBytes(bundles.get(t)[0].resolve("password")))
                        .socketFactory(factory).build();
                sessions.add(requester);
                responder.connect().get(20, TimeUnit.SECONDS);
                subscription.granted().get(20, TimeUnit.SECONDS);
                requester.connect().get(20, TimeUnit.SECONDS);
                pairs[t] = new Pair(requester, device, operator);
            }
            long[][] nanos = new long[2][count];
            int block = 100;
            int warmup = Math.max(200, count / 5);
            for (int t = 0; t < 2; t++) {
                for (int i = 0; i < warmup; i++) {
                    roundTrip(pairs[t], i);
                }
            }
            for (int done = 0; done < count; done += block) {
                for (int t = 0; t < 2; t++) {
                    for (int i = done; i < Math.min(count, done + block); i++) {
                        nanos[t][i] = roundTrip(pairs[t], i);
                    }
                }
            }
            return nanos;
        } catch (Exception e) {
            throw new IllegalStateException("request/response benchmark failed: " + e.getMessage(), e);
        } finally {
            sessions.parallelStream().forEach(MqttSession::close);
        }
    }

    private static long roundTrip(Pair pair, int i) throws Exception {
        String root = "edgekit/v1/" + SITE + "/" + pair.device();
        long start = System.nanoTime();
        Inbound reply = pair.requester().request(Outgoing.of(root + "/cmd/echo",
                Integer.toString(i).getBytes(java.nio.charset.StandardCharsets.UTF_8), 1),
                root + "/reply/" + pair.operator() + "/echo", Duration.ofSeconds(10)).get(15, TimeUnit.SECONDS);
        long elapsed = System.nanoTime() - start;
        if (reply.payload().length == 0) {
            throw new IllegalStateException("empty reply");
        }
        return elapsed;
    }

    private static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder
        }
    }
}
