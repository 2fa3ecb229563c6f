package dev.edgekit.agent.runtime;

import dev.edgekit.testkit.BrokerExtension;
import dev.edgekit.testkit.TestBroker;
import org.junit.jupiter.api.extension.RegisterExtension;

class MosquittoReplyLoopIT extends ReplyLoopContract {
    @RegisterExtension
    static final BrokerExtension broker = BrokerExtension.mosquitto();

    @Override
    TestBroker broker() {
        return broker.broker();
    }
}
