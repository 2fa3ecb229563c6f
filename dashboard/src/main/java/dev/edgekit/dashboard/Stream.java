package dev.edgekit.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgekit.ubiquitous.registry.DeviceQuery;
import dev.edgekit.ubiquitous.registry.DeviceView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-Sent Events to browsers. Every {@link #tick()} (a few per second) sends each client one {@code fleet} frame
 * with one row per device that changed since the last tick (coalesced: ten heartbeats in a tick make one row),
 * filtered by the client's query (rows that stopped matching are listed in {@code gone}), and one {@code timeline}
 * frame with the entries since the last tick. Frames wait in a bounded queue per client; a client whose queue is
 * full (a slow or stalled browser) is dropped, never buffered without limit, and counted.
 */
final class Stream {
    private static final Logger log = LoggerFactory.getLogger(Stream.class);
    static final int QUEUE_FRAMES = 16;
    static final int MAX_CLIENTS = 64;
    static final int MAX_TIMELINE_PER_FRAME = 500;

    /** One connected browser. */
    static final class Client {
        final DeviceQuery query;
        final boolean fleetRows;
        final BlockingQueue<String> frames = new ArrayBlockingQueue<>(QUEUE_FRAMES);
        volatile boolean closed;

        Client(DeviceQuery query, boolean fleetRows) {
            this.query = query;
            this.fleetRows = fleetRows;
        }
    }

    private final Fleet fleet;
    private final ObjectMapper json;
    private final List<Client> clients = new CopyOnWriteArrayList<>();
    private final AtomicLong dropped = new AtomicLong();
    private long timelineSeq;

    Stream(Fleet fleet, ObjectMapper json) {
        this.fleet = fleet;
        this.json = json;
        this.timelineSeq = fleet.timeline().lastSeq();
    }

    /** A new client, or empty when {@link #MAX_CLIENTS} are connected. */
    java.util.Optional<Client> open(DeviceQuery query, boolean fleetRows) {
        if (clients.size() >= MAX_CLIENTS) {
            dropped.incrementAndGet();
            return java.util.Optional.empty();
        }
        Client c = new Client(query, fleetRows);
        clients.add(c);
        return java.util.Optional.of(c);
    }

    void close(Client c) {
        c.closed = true;
        clients.remove(c);
    }

    /** Builds this batch and queues it for every client. Called by one timer thread. */
    void tick() {
        Set<String> changed = fleet.drainChanged();
        List<Timeline.Entry> entries = fleet.timeline().after(timelineSeq, MAX_TIMELINE_PER_FRAME);
        if (!entries.isEmpty()) {
            timelineSeq = entries.get(entries.size() - 1).seq();
        }
        if (clients.isEmpty()) {
            return;
        }
        Instant now = fleet.now();
        List<DeviceView> views = new ArrayList<>(changed.size());
        for (String key : changed) {
            int slash = key.indexOf('/');
            fleet.registry().byId(key.substring(0, slash), key.substring(slash + 1)).ifPresent(views::add);
        }
        List<ObjectNode> rows = new ArrayList<>(views.size());
        List<String> states = new ArrayList<>(views.size());
        for (DeviceView v : views) {
            ObjectNode row = fleet.row(v, now);
            rows.add(row);
            states.add(row.path("state").asText());
        }
        String timelineFrame = entries.isEmpty() ? null : frame("timeline", json.valueToTree(entries));
        for (Client c : clients) {
            if (!c.fleetRows) {
                if (timelineFrame != null) {
                    offer(c, timelineFrame);
                }
                continue;
            }
            ObjectNode body = json.createObjectNode();
            body.put("now", now.toEpochMilli());
            ArrayNode out = body.putArray("rows");
            ArrayNode gone = body.putArray("gone");
            for (int i = 0; i < views.size(); i++) {
                if (c.query.matches(views.get(i), states.get(i))) {
                    out.add(rows.get(i));
                } else {
                    gone.add(rows.get(i).path("key").asText());
                }
            }
            offer(c, frame("fleet", body));
            if (timelineFrame != null) {
                offer(c, timelineFrame);
            }
        }
    }

    private void offer(Client c, String frame) {
        if (!c.closed && !c.frames.offer(frame)) {
            dropped.incrementAndGet();
            log.info("dropping a dashboard client that fell {} frames behind", QUEUE_FRAMES);
            close(c);
        }
    }

    private String frame(String event, Object body) {
        try {
            return "event: " + event + "\ndata: " + json.writeValueAsString(body) + "\n\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    int clients() {
        return clients.size();
    }

    long dropped() {
        return dropped.get();
    }
}
