package dev.edgekit.testkit;

import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension that runs a broker for a test class (as a {@code static} field) or for each test (as an instance
 * field), and fails the test with the broker's log if the broker crashed during it.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final BrokerExtension broker = BrokerExtension.mosquitto();
 * ... MqttSession.builder().server(broker.uri()) ...
 * }</pre>
 */
public final class BrokerExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback {
    private final Supplier<TestBroker> factory;
    private final String description;
    private TestBroker broker;
    private boolean perClass;

    private BrokerExtension(Supplier<TestBroker> factory, String description) {
        this.factory = factory;
        this.description = description;
    }

    /** A real Mosquitto with {@code broker-config/mosquitto/dev.conf}. */
    public static BrokerExtension mosquitto() {
        return mosquitto("mosquitto/dev.conf", Map.of());
    }

    /** A real Mosquitto with another configuration from broker-config, plus overrides. */
    public static BrokerExtension mosquitto(String configResource, Map<String, String> overrides) {
        return new BrokerExtension(() -> MosquittoProcess.start(configResource, overrides), "mosquitto " + configResource);
    }

    /** The embedded MQTT 5 broker that {@code edgekit simulate} uses. */
    public static BrokerExtension embedded() {
        return new BrokerExtension(EmbeddedTestBroker::new, "embedded broker");
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        perClass = true;
        broker = factory.get();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!perClass) {
            broker = factory.get();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            if (broker != null) {
                broker.assertHealthy();
            }
        } finally {
            if (!perClass && broker != null) {
                broker.close();
                broker = null;
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    public TestBroker broker() {
        if (broker == null) {
            throw new IllegalStateException(description + " is not running: register the extension with"
                    + " @RegisterExtension on a static or instance field");
        }
        return broker;
    }

    public String uri() {
        return broker().uri();
    }

    @Override
    public String toString() {
        return broker == null ? description : broker.toString();
    }
}
