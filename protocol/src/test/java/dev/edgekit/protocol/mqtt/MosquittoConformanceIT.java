package dev.edgekit.protocol.mqtt;

import dev.edgekit.testkit.BrokerExtension;
import dev.edgekit.testkit.TestBroker;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The broker contract against a real Mosquitto with broker-config's dev.conf. */
class MosquittoConformanceIT extends BrokerConformanceContract {
    @RegisterExtension
    final BrokerExtension broker = BrokerExtension.mosquitto();

    @Override
    TestBroker broker() {
        return broker.broker();
    }
}
