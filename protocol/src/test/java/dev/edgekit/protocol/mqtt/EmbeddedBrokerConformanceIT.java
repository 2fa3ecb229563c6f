package dev.edgekit.protocol.mqtt;

import dev.edgekit.testkit.BrokerExtension;
import dev.edgekit.testkit.TestBroker;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The broker contract against the embedded broker that {@code edgekit simulate} uses. */
class EmbeddedBrokerConformanceIT extends BrokerConformanceContract {
    @RegisterExtension
    static final BrokerExtension broker = BrokerExtension.embedded();

    @Override
    TestBroker broker() {
        return broker.broker();
    }
}
