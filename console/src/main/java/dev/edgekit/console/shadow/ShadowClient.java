package dev.edgekit.console.shadow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.protocol.mqtt.Outgoing;
import dev.edgekit.protocol.shadow.Desired;
import dev.edgekit.protocol.shadow.Reported;
import dev.edgekit.protocol.shadow.ShadowCodec;
import dev.edgekit.protocol.shadow.ShadowException;
import dev.edgekit.protocol.shadow.ShadowTopics;
import dev.edgekit.protocol.shadow.UpdateRequest;
import dev.edgekit.protocol.shadow.UpdateResult;
import dev.edgekit.protocol.topic.Ids;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * An operator's view of shadows: reads the retained desired and reported documents and sends update requests to
 * the keeper. Documents that fail {@link ShadowCodec}'s checks are dropped (they are untrusted like any payload).
 */
public final class ShadowClient {
    private final MqttSession session;
    private final String site;
    private final String writer;
    private final ShadowCodec codec = new ShadowCodec();

    /** {@code writer}: this operator's id; replies come to its inbox {@link ShadowTopics#reply}. */
    public ShadowClient(MqttSession session, String site, String writer) {
        this.session = session;
        this.site = Ids.require(site, "site");
        this.writer = Ids.require(writer, "writer");
    }

    /** The current desired document (version 0 and empty if none was ever written), waiting at most {@code wait}. */
    public Desired desired(String device, Duration wait) throws Exception {
        CompletableFuture<Desired> got = new CompletableFuture<>();
        var sub = session.subscribe(ShadowTopics.desired(site, device), 1, in -> {
            try {
                got.complete(codec.decodeDesired(device, in.payload()));
            } catch (ShadowException e) {
                got.completeExceptionally(e);
            }
        });
        try {
            sub.granted().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            // A retained message is sent right after the SUBACK; a short grace covers its flight.
            return got.completeOnTimeout(null, 300, TimeUnit.MILLISECONDS).get() instanceof Desired d ? d
                    : new Desired(device, 0, "", "", codec.emptyState());
        } finally {
            sub.cancel();
        }
    }

    /** The device's last report, or null if it never reported. */
    public Reported reported(String device, Duration wait) throws Exception {
        CompletableFuture<Reported> got = new CompletableFuture<>();
        var sub = session.subscribe(ShadowTopics.reported(site, device), 1, in -> {
            try {
                got.complete(codec.decodeReported(device, in.payload()));
            } catch (ShadowException e) {
                got.completeExceptionally(e);
            }
        });
        try {
            sub.granted().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return got.completeOnTimeout(null, 300, TimeUnit.MILLISECONDS).get();
        } finally {
            sub.cancel();
        }
    }

    /** Asks the keeper to merge {@code state} into desired if its version is still {@code expectedVersion}. */
    public CompletableFuture<UpdateResult> update(String device, long expectedVersion, ObjectNode state, Duration timeout) {
        Outgoing request = new Outgoing(ShadowTopics.update(site, device),
                codec.encode(new UpdateRequest(expectedVersion, state)), 1, false, Map.of("writer", writer), null);
        return session.request(request, ShadowTopics.reply(site, writer), timeout).thenApply(in -> {
            try {
                return codec.decodeResult(in.payload());
            } catch (ShadowException e) {
                throw new IllegalStateException("keeper reply: " + e.getMessage(), e);
            }
        });
    }

    /** Calls {@code onChange} with (device, document) for every desired or reported document of the site. */
    public void watch(BiConsumer<String, Object> onChange) {
        for (String kind : new String[] {ShadowTopics.DESIRED, ShadowTopics.REPORTED}) {
            session.subscribe(ShadowTopics.filter(site, kind), 1, in -> {
                String device = ShadowTopics.device(site, in.topic());
                if (device == null || in.payload().length == 0) {
                    return;
                }
                try {
                    onChange.accept(device, kind.equals(ShadowTopics.DESIRED) ? codec.decodeDesired(device, in.payload())
                            : codec.decodeReported(device, in.payload()));
                } catch (ShadowException e) {
                    // untrusted: skip
                }
            });
        }
    }
}
