package dev.edgekit.console;

import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.ubiquitous.detect.DetectorConfig;
import dev.edgekit.ubiquitous.registry.Registry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Option;

/**
 * What every consumer command (monitor, devices) needs to watch a fleet: the broker, the site, how long to wait for
 * it, and the failure detector. A picocli mixin, so the options read the same everywhere.
 */
public final class FleetWatch {
    @Option(names = "--broker", converter = Flags.BrokerUrl.class, defaultValue = "tcp://127.0.0.1:1883", description = "Broker URL (default: ${DEFAULT-VALUE}).")
    String broker;

    @Option(names = "--site", defaultValue = "+", description = "Only this site (default: all).")
    String site;

    @Option(names = "--connect-timeout", defaultValue = "10s", converter = Flags.PositiveDuration.class,
            description = "Give up if the broker cannot be reached within this (default: ${DEFAULT-VALUE}).")
    Duration connectTimeout;

    @Option(names = "--detector", defaultValue = "phi", description = {"Failure detector: phi, phi:<threshold> or"
        + " timeout:<duration> (default: ${DEFAULT-VALUE}, threshold 8)."})
    String detector;

    // operator credentials: TLS and login on a secured site
    @picocli.CommandLine.Mixin
    OperatorCredentials credentials = new OperatorCredentials();

    /** The operator's id when it logs in with one (a password or a bundle), else null. */
    public String operatorId() {
        return credentials.resolve().username();
    }

    /** Whether this command runs with an operator identity (a bundle, a certificate or a username). */
    public boolean hasOperatorIdentity() {
        return credentials.resolve().any() && (credentials.resolve().username() != null
                || credentials.resolve().certFile() != null);
    }

    public String broker() {
        return broker;
    }

    public String site() {
        return site;
    }

    public DetectorConfig detectorConfig() {
        return DetectorConfig.parse(detector);
    }

    /**
     * A consumer session named after {@code command}, with {@code registry} subscribed, connected and granted; fails
     * with one line when the broker cannot be reached in time. The caller closes the session.
     */
    public MqttSession connect(String command, Registry registry) throws Exception {
        return connect(command, registry, session -> { });
    }

    /** A session named after {@code command}, connected (with the operator's credentials), without a registry. */
    public MqttSession connect(String command) throws Exception {
        return connect(command, null, session -> { });
    }

    /** As {@link #connect(String, Registry)}, with {@code beforeConnect} subscribing more on the session first. */
    public MqttSession connect(String command, Registry registry,
            java.util.function.Consumer<MqttSession> beforeConnect) throws Exception {
        var builder = MqttSession.builder().server(broker)
                .clientId("edgekit-" + command + "-" + ProcessHandle.current().pid());
        OperatorCredentials.apply(credentials.resolve(), broker, builder); // before connecting: bad flags fail fast
        MqttSession session = builder.build();
        try {
            if (registry != null) {
                registry.attach(session, site);
            }
            beforeConnect.accept(session);
            session.connect().get(connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
            if (registry != null) {
                registry.ready().get(connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            return session;
        } catch (TimeoutException e) {
            session.close();
            throw new IllegalStateException("cannot reach broker " + broker + " within " + connectTimeout.toSeconds()
                    + " s");
        } catch (Exception e) {
            session.close();
            throw e;
        }
    }
}
