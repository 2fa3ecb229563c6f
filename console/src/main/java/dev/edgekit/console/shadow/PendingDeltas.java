package dev.edgekit.console.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgekit.protocol.mqtt.Inbound;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.protocol.shadow.Desired;
import dev.edgekit.protocol.shadow.Reported;
import dev.edgekit.protocol.shadow.ShadowCodec;
import dev.edgekit.protocol.shadow.ShadowDelta;
import dev.edgekit.protocol.shadow.ShadowException;
import dev.edgekit.protocol.shadow.ShadowLimits;
import dev.edgekit.protocol.shadow.ShadowTopics;
import dev.edgekit.protocol.topic.Topics;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What operators asked of each device and it has not done yet, for {@code monitor}: the retained desired and reported
 * documents of a site (or of every site), and the number of leaves in their delta. Bounded like the keeper (at most
 * {@link #MAX_DEVICES}); documents that do not decode are counted, never kept.
 */
public final class PendingDeltas {
    static final int MAX_DEVICES = 10_000;

    private record Key(String site, String device) {
    }

    private final ShadowCodec codec = new ShadowCodec();
    private final Map<Key, Desired> desired = new ConcurrentHashMap<>();
    private final Map<Key, Reported> reported = new ConcurrentHashMap<>();
    private final AtomicLong refused = new AtomicLong();

    /** Subscribes on {@code session} (before it connects) to the shadows of {@code siteOrPlus}. */
    public PendingDeltas attach(MqttSession session, String siteOrPlus) {
        for (String kind : new String[] {ShadowTopics.DESIRED, ShadowTopics.REPORTED}) {
            session.subscribe(Topics.ROOT + "/" + siteOrPlus + "/+/shadow/" + kind, 1, this::accept);
        }
        return this;
    }

    void accept(Inbound in) {
        String[] levels = in.topic().split("/");
        if (levels.length != 6) {
            refused.incrementAndGet();
            return;
        }
        Key key = new Key(levels[2], levels[3]);
        if (in.payload().length == 0) {
            desired.remove(key);
            reported.remove(key);
            return;
        }
        try {
            if (in.payload().length > ShadowLimits.MAX_DOCUMENT_BYTES
                    || (!desired.containsKey(key) && !reported.containsKey(key) && size() >= MAX_DEVICES)) {
                throw new ShadowException("too large, or too many devices");
            }
            if (levels[5].equals(ShadowTopics.DESIRED)) {
                desired.put(key, codec.decodeDesired(key.device(), in.payload()));
            } else {
                reported.put(key, codec.decodeReported(key.device(), in.payload()));
            }
        } catch (ShadowException e) {
            refused.incrementAndGet();
        }
    }

    private int size() {
        return Math.max(desired.size(), reported.size());
    }

    /** Desired leaves the device does not run yet (refused ones included); -1 when it has no desired document. */
    public int pending(String site, String device) {
        Desired d = desired.get(new Key(site, device));
        return d == null ? -1 : leaves(ShadowDelta.of(d, reported.get(new Key(site, device))));
    }

    private static int leaves(JsonNode node) {
        if (!node.isObject()) {
            return 1;
        }
        int count = 0;
        for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
            count += leaves(it.next());
        }
        return count;
    }

    /** Shadow documents that did not decode or were over the bounds. */
    public long refused() {
        return refused.get();
    }
}
