package dev.edgekit.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.ubiquitous.detect.LivenessMonitor;
import dev.edgekit.ubiquitous.registry.Registry;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * A running dashboard: the web server, the stream's batching timer and the failure detector's timer, over a registry
 * and liveness monitor the caller made and a session the caller connects (subscribe first: {@link #start} subscribes
 * the dashboard's extra topics on it). Close it before the session.
 *
 * <pre>{@code
 * Registry registry = new Registry(clock, new Codec());
 * LivenessMonitor liveness = LivenessMonitor.attach(registry, DetectorConfig.parse("phi"));
 * MqttSession session = ...; registry.attach(session, "+");
 * Dashboard d = Dashboard.start(Dashboard.Options.loopback(8080), registry, liveness, session, "+", clock, random);
 * session.connect();
 * System.out.println(d.url());
 * }</pre>
 */
public final class Dashboard implements AutoCloseable {
    /**
     * @param host         the address to listen on; anything but loopback needs a {@code token}
     * @param port         the port; 0 for any free one
     * @param anyPortIfBusy when {@code port} is taken, take a free one instead of failing
     * @param token        the access token, or null (loopback only)
     * @param controls     whether output controls are offered (the operator role)
     * @param replyLevel   the last level of the reply topic for commands: the operator's id, or {@code dashboard}
     * @param batch        how often the stream sends (a few per second at most)
     */
    public record Options(String host, int port, boolean anyPortIfBusy, String token, boolean controls,
            String replyLevel, Duration batch) {
        public Options {
            Objects.requireNonNull(host, "host");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("--listen: port " + port + " is outside 0..65535");
            }
            if (token != null && token.length() < 16) {
                throw new IllegalArgumentException("--token: use at least 16 characters");
            }
            if (batch.toMillis() < 200) {
                throw new IllegalArgumentException("batch: at least 200 ms (at most 5 updates a second)");
            }
        }

        public static Options loopback(int port) {
            return new Options("127.0.0.1", port, true, null, false, "dashboard", Duration.ofMillis(500));
        }

        public Options withControls(boolean on) {
            return new Options(host, port, anyPortIfBusy, token, on, replyLevel, batch);
        }

        public Options withToken(String t) {
            return new Options(host, port, anyPortIfBusy, t, controls, replyLevel, batch);
        }

        public Options withReplyLevel(String level) {
            return new Options(host, port, anyPortIfBusy, token, controls, level, batch);
        }
    }

    private final WebServer server;
    private final ScheduledExecutorService timer;
    private final Options options;
    private final boolean portWasBusy;

    private Dashboard(WebServer server, ScheduledExecutorService timer, Options options, boolean portWasBusy) {
        this.server = server;
        this.timer = timer;
        this.options = options;
        this.portWasBusy = portWasBusy;
    }

    public static Dashboard start(Options options, Registry registry, LivenessMonitor liveness, MqttSession session,
            String site, InstantSource clock, RandomGenerator random) throws IOException {
        InetAddress address = InetAddress.getByName(options.host());
        if (!address.isLoopbackAddress() && options.token() == null) {
            throw new IllegalArgumentException("--listen " + options.host() + ": listening beyond this machine needs"
                    + " --token (or --token-file)");
        }
        ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        Fleet fleet = new Fleet(registry, liveness, clock, History.Limits.DEFAULT, json);
        fleet.attach(session, site);
        WebServer server;
        boolean busy = false;
        try {
            server = new WebServer(new InetSocketAddress(address, options.port()));
        } catch (BindException e) {
            if (!options.anyPortIfBusy()) {
                throw new IllegalArgumentException("--listen: port " + options.port() + " is busy");
            }
            busy = true;
            server = new WebServer(new InetSocketAddress(address, 0));
        }
        Access access = new Access(options.token(), server.address().getPort(), options.controls(), random);
        server.access(access);
        Stream stream = new Stream(fleet, json);
        Controls controls = options.controls() ? new Controls(session, registry, options.replyLevel(), json) : null;
        new Api(fleet, stream, controls, access, json).install(server);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
                .name("dashboard-timer").factory());
        liveness.schedule(timer, clock, Duration.ofMillis(100));
        long batch = options.batch().toMillis();
        timer.scheduleAtFixedRate(() -> {
            try {
                stream.tick();
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(Dashboard.class).error("dashboard stream tick failed", e);
            }
        }, batch, batch, TimeUnit.MILLISECONDS);
        timer.scheduleAtFixedRate(() -> fleet.history().retain(registry.devices()), 1, 1, TimeUnit.MINUTES);
        server.start();
        return new Dashboard(server, timer, options, busy);
    }

    /** Where to open it; with a token, the login link that sets the cookie. */
    public URI url() {
        InetSocketAddress a = server.address();
        String host = a.getAddress().isLoopbackAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + a.getPort() + "/");
    }

    public int port() {
        return server.address().getPort();
    }

    /** Whether the requested port was busy and another was taken. */
    public boolean portWasBusy() {
        return portWasBusy;
    }

    public Options options() {
        return options;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        server.close();
    }
}
