package dev.edgekit.testkit;

import dev.edgekit.broker.EmbeddedBroker;

/** The embedded broker as a {@link TestBroker}; kill and stop are the same for an in-process broker. */
final class EmbeddedTestBroker implements TestBroker {
    private EmbeddedBroker broker;
    private final int port;

    EmbeddedTestBroker() {
        this.broker = EmbeddedBroker.start();
        this.port = broker.port();
    }

    @Override
    public String uri() {
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public void kill() {
        stop();
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    @Override
    public void restart() {
        stop();
        broker = EmbeddedBroker.start(port);
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "embedded broker " + uri();
    }
}
