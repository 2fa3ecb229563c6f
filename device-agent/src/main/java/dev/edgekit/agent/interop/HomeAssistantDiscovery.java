package dev.edgekit.agent.interop;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgekit.agent.runtime.AgentPort;
import dev.edgekit.agent.runtime.Projection;
import dev.edgekit.protocol.guard.RateLimitedLog;
import dev.edgekit.protocol.guard.TokenBucket;
import dev.edgekit.protocol.mqtt.ConnectionListener;
import dev.edgekit.protocol.mqtt.Inbound;
import dev.edgekit.protocol.mqtt.Outgoing;
import dev.edgekit.protocol.mqtt.Subscription;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code interop.homeAssistant: true}: the device shows up in Home Assistant by MQTT discovery. Its discovery message
 * ({@link DiscoveryDocument}) is published retained on {@code {prefix}/device/{id}/config} at every connect, and again
 * when Home Assistant announces itself on {@code {prefix}/status} with {@code online} (its birth message, e.g. after
 * it restarted without the retained copy). Anything else on the status topic is ignored and counted; re-publishing is
 * limited to a few times a minute, since anyone on the broker can write that topic.
 */
public final class HomeAssistantDiscovery implements Projection, ConnectionListener {
    private static final Logger log = LoggerFactory.getLogger(HomeAssistantDiscovery.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Home Assistant's birth payload is {@code online}; anything much longer is not one. */
    static final int MAX_STATUS_BYTES = 16;

    private final AgentPort agent;
    private final String prefix;
    private final TokenBucket republish = new TokenBucket(1.0 / 10, 3);
    private final RateLimitedLog limitedLog = new RateLimitedLog(log, Duration.ofMinutes(1));
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong ignored = new AtomicLong();
    private Subscription status;

    public HomeAssistantDiscovery(AgentPort agent) {
        this.agent = agent;
        this.prefix = agent.config().interop().discoveryPrefix();
    }

    @Override
    public void start() {
        agent.session().addConnectionListener(this);
        status = agent.session().subscribe(prefix + "/status", 1, this::homeAssistantStatus);
    }

    @Override
    public void connected(String serverUri, boolean sessionPresent) {
        publish();
    }

    @Override
    public void disconnected(Throwable cause) {
    }

    private void homeAssistantStatus(Inbound in) {
        String text = in.payload().length <= MAX_STATUS_BYTES ? new String(in.payload(), StandardCharsets.UTF_8) : "";
        if (!text.equals("online")) {
            ignored.incrementAndGet(); // "offline" (its Will) needs nothing from us; anything else is not Home Assistant
            return;
        }
        if (!republish.tryAcquire(in.receivedAt())) {
            ignored.incrementAndGet();
            limitedLog.info("ha-status", in.receivedAt(), "{}: Home Assistant said online again; discovery was"
                    + " re-published lately, not again", agent.id());
            return;
        }
        publish();
    }

    /** The discovery message, as published. */
    byte[] document() {
        try {
            return JSON.writeValueAsBytes(DiscoveryDocument.of(agent.config(), agent.boardInfo(),
                    agent.capabilities(), agent.softwareVersion()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("discovery document", e);
        }
    }

    private void publish() {
        String topic = DiscoveryDocument.topic(prefix, agent.id());
        agent.session().publish(Outgoing.retained(topic, document(), 1)).whenComplete((ok, e) -> {
            if (e == null) {
                published.incrementAndGet();
            } else {
                log.debug("{}: discovery on {} not published: {}", agent.id(), topic, e.getMessage());
            }
        });
    }

    /** Discovery messages the broker acknowledged. */
    public long published() {
        return published.get();
    }

    /** Status messages that did not lead to a re-publication (not {@code online}, or over the limit). */
    public long ignored() {
        return ignored.get();
    }

    @Override
    public void close() {
        if (status != null) {
            status.cancel();
        }
    }
}
