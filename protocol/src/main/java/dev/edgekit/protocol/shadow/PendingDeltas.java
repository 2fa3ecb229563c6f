package dev.edgekit.protocol.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgekit.protocol.mqtt.Inbound;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.protocol.topic.Topics;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * What operators asked of each device and it has not done yet, for {@code monitor} and the dashboard: the retained
 * desired and reported
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
    private volatile BiConsumer<String, String> onChange = (site, device) -> { };

    /** Tells {@code listener} (site, device) after each accepted document of that device, on the session's thread. */
    public PendingDeltas onChange(BiConsumer<String, String> listener) {
        this.onChange = java.util.Objects.requireNonNull(listener);
        return this;
    }

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
            (levels[5].equals(ShadowTopics.DESIRED) ? desired : reported).remove(key);
            onChange.accept(key.site(), key.device());
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
            return;
        }
        onChange.accept(key.site(), key.device());
    }

    private int size() {
        return Math.max(desired.size(), reported.size());
    }

    /** Desired leaves the device does not run yet (refused ones included); -1 when it has no desired document. */
    public int pending(String site, String device) {
        Desired d = desired.get(new Key(site, device));
        return d == null ? -1 : leaves(ShadowDelta.of(d, reported.get(new Key(site, device))));
    }

    /** The desired document of a device, if it has one. */
    public Optional<Desired> desired(String site, String device) {
        return Optional.ofNullable(desired.get(new Key(site, device)));
    }

    /** The reported document of a device, if it has one. */
    public Optional<Reported> reported(String site, String device) {
        return Optional.ofNullable(reported.get(new Key(site, device)));
    }

    /** The pending leaves of a device, with the device's reasons; empty when it has no desired document. */
    public List<ShadowDelta.Leaf> leaves(String site, String device) {
        Desired d = desired.get(new Key(site, device));
        return d == null ? List.of() : ShadowDelta.leaves(d, reported.get(new Key(site, device)));
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
