package dev.edgekit.testkit.fuzz;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;

/**
 * Publishes {@link HostileInputs} into a live fleet through a plain Paho client of its own (not edgekit's session: it
 * must be able to send what edgekit would never send), at a steady rate with a flood now and then, for a bounded time
 * and count. QoS 1, so that every input it counts as sent did reach the broker; never retained, so a run leaves
 * nothing behind.
 */
public final class Fuzzer implements AutoCloseable {
    /** How a run is paced and bounded. */
    public record Pace(int perSecond, Duration duration, long maxInputs, Duration floodEvery, int floodSize) {
        public Pace {
            if (perSecond < 1 || perSecond > 10_000) {
                throw new IllegalArgumentException("perSecond: " + perSecond + " is not in 1..10000");
            }
            if (duration.isNegative() || duration.isZero() || duration.compareTo(Duration.ofHours(24)) > 0) {
                throw new IllegalArgumentException("duration: " + duration + " is not in (0, 24h]");
            }
            if (maxInputs < 1) {
                throw new IllegalArgumentException("maxInputs: must be positive, was " + maxInputs);
            }
            if (floodSize < 0 || floodSize > 10_000) {
                throw new IllegalArgumentException("floodSize: " + floodSize + " is not in 0..10000");
            }
        }
    }

    /** QoS 1 publishes awaiting PUBACK: below the receive maximum brokers grant (Mosquitto's default is 100). */
    static final int MAX_IN_FLIGHT = 64;

    private final MqttAsyncClient client;
    private final InstantSource clock;

    public Fuzzer(String brokerUri, String clientId, InstantSource clock) throws MqttException {
        this.clock = clock;
        this.client = new MqttAsyncClient(brokerUri, clientId, new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setMaxReconnectDelay(1_000);
        options.setAutomaticReconnect(true);
        options.setReceiveMaximum(1_000);
        client.connect(options).waitForCompletion(10_000);
    }

    /**
     * Sends inputs from {@code inputs} at {@code pace} and waits for the broker's acknowledgements.
     *
     * @param progress called about once a second with the tally so far
     */
    public Tally run(HostileInputs inputs, Pace pace, Consumer<Tally> progress) throws InterruptedException {
        Tally tally = new Tally();
        List<Pending> inFlight = new ArrayList<>();
        long start = clock.millis();
        long end = start + pace.duration().toMillis();
        long nextFlood = pace.floodSize() > 0 ? start + pace.floodEvery().toMillis() : Long.MAX_VALUE;
        long nextProgress = start + 1_000;
        long count = 0;
        long paced = 0; // inputs at the steady rate; floods come on top
        while (count < pace.maxInputs() && clock.millis() < end) {
            long due = Math.min(end, start + paced * 1_000 / pace.perSecond());
            long wait = due - clock.millis();
            if (wait > 0) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(wait));
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            long now = clock.millis();
            if (now >= end) {
                break;
            }
            List<HostileInput> batch = now >= nextFlood ? inputs.flood(pace.floodSize()) : List.of(inputs.next());
            if (now >= nextFlood) {
                nextFlood = now + pace.floodEvery().toMillis();
            } else {
                paced++;
            }
            for (HostileInput input : batch) {
                if (inFlight.size() >= MAX_IN_FLIGHT) { // a flood waits for acknowledgements, as any client must
                    settle(inFlight, tally);
                }
                try {
                    inFlight.add(new Pending(client.publish(input.topic(), message(input)), input));
                } catch (MqttException | IllegalArgumentException e) {
                    tally.refusedByBroker(input, e.getMessage());
                }
                count++;
            }
            if (inFlight.size() >= MAX_IN_FLIGHT) {
                settle(inFlight, tally);
            }
            if (now >= nextProgress) {
                nextProgress = now + 1_000;
                progress.accept(tally);
            }
        }
        settle(inFlight, tally);
        return tally;
    }

    private static MqttMessage message(HostileInput input) {
        MqttMessage message = new MqttMessage(input.payload());
        message.setQos(1);
        message.setRetained(false);
        MqttProperties properties = new MqttProperties();
        if (input.responseTopic() != null) {
            properties.setResponseTopic(input.responseTopic());
            properties.setCorrelationData(input.responseTopic().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        List<UserProperty> user = new ArrayList<>();
        for (Map.Entry<String, String> e : input.userProperties().entrySet()) {
            user.add(new UserProperty(e.getKey(), e.getValue()));
        }
        properties.setUserProperties(user);
        message.setProperties(properties);
        return message;
    }

    private record Pending(IMqttToken token, HostileInput input) {
    }

    /** Waits for the broker's PUBACKs: only what the broker took counts as sent. */
    private static void settle(List<Pending> inFlight, Tally tally) {
        for (Pending pending : inFlight) {
            try {
                pending.token().waitForCompletion(10_000);
                tally.sent(pending.input());
            } catch (MqttException e) {
                tally.refusedByBroker(pending.input(), e.getMessage());
            }
        }
        inFlight.clear();
    }

    @Override
    public void close() {
        try {
            client.disconnect().waitForCompletion(5_000);
        } catch (MqttException e) {
            // closing anyway
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            // nothing left to release
        }
    }
}
