package dev.edgekit.ubiquitous.election;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgekit.protocol.mqtt.Inbound;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.protocol.mqtt.Outgoing;
import dev.edgekit.protocol.topic.Topics;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Election messages as JSON ({@code {"v":1,"from":…,"round":…}}) on the site's {@code $election} tree. */
final class MqttElectionTransport implements ElectionTransport {
    private static final Logger log = LoggerFactory.getLogger(MqttElectionTransport.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MqttSession session;
    private final String site;
    private final AtomicLong malformed = new AtomicLong();

    MqttElectionTransport(MqttSession session, String site) {
        this.session = session;
        this.site = site;
    }

    @Override
    public void send(ElectionMessage message) {
        ObjectNode body = JSON.createObjectNode();
        body.put("v", 1);
        body.put("from", message.from());
        if (message instanceof ElectionMessage.Answer a) {
            body.put("to", a.to());
        }
        body.put("round", message.round());
        try {
            session.publish(Outgoing.of(Topics.election(site, message.kind()), JSON.writeValueAsBytes(body), 1))
                    .whenComplete((ok, e) -> {
                        if (e != null) {
                            log.debug("election message {} not sent: {}", ElectionMessage.describe(message),
                                    e.getMessage());
                        }
                    });
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void receive(Consumer<ElectionMessage> handler) {
        session.subscribe(Topics.election(site, "+"), 1, in -> {
            ElectionMessage message = decode(in);
            if (message != null) {
                handler.accept(message);
            }
        });
    }

    ElectionMessage decode(Inbound in) {
        String kind = in.topic().substring(in.topic().lastIndexOf('/') + 1);
        try {
            JsonNode body = JSON.readTree(in.payload());
            if (body == null || body.path("v").asInt() != 1) {
                throw new IllegalArgumentException("not schema version 1");
            }
            String from = body.path("from").asText(null);
            long round = body.path("round").asLong(0);
            return switch (kind) {
                case "election" -> new ElectionMessage.Call(from, round);
                case "answer" -> new ElectionMessage.Answer(from, body.path("to").asText(null), round);
                case "coordinator" -> new ElectionMessage.Coordinator(from, round);
                default -> throw new IllegalArgumentException("unknown election message kind " + kind);
            };
        } catch (IOException | RuntimeException e) {
            long n = malformed.incrementAndGet();
            if (n <= 20) {
                log.warn("malformed election message on {}: {}", in.topic(), e.getMessage());
            }
            return null;
        }
    }
}
