package dev.edgekit.testkit;

/** A broker a test talks to: a real Mosquitto process or the embedded broker. */
public interface TestBroker extends AutoCloseable {
    /** {@code tcp://127.0.0.1:PORT}. */
    String uri();

    int port();

    /** Stops the broker abruptly (SIGKILL for a process). */
    void kill();

    /** Stops the broker gracefully. */
    void stop();

    /** Starts it again on the same port. */
    void restart();

    /** Fails with the broker's log if it died unexpectedly. */
    default void assertHealthy() {
    }

    @Override
    void close();
}
