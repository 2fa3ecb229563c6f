package dev.edgekit.agent.runtime;

import dev.edgekit.testkit.BrokerExtension;
import dev.edgekit.testkit.TestBroker;
import org.junit.jupiter.api.extension.RegisterExtension;

class EmbeddedBrokerReplyLoopIT extends ReplyLoopContract {
    @RegisterExtension
    static final BrokerExtension broker = BrokerExtension.embedded();

    @Override
    TestBroker broker() {
        return broker.broker();
    }
}
