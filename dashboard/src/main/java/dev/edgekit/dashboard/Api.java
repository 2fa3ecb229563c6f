package dev.edgekit.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.edgekit.protocol.topic.Ids;
import dev.edgekit.ubiquitous.registry.DeviceQuery;
import dev.edgekit.ubiquitous.registry.DeviceView;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The JSON endpoints behind the pages, and the event stream. Every parameter is checked (ids, the query language of
 * {@code edgekit devices}, windows from 1 min to 24 h, at most {@link #MAX_POINTS} points per plot); a bad one gets
 * 400 with one line naming it.
 */
final class Api {
    static final int MAX_POINTS = 4000;
    static final Duration MAX_WINDOW = Duration.ofHours(24);

    private final Fleet fleet;
    private final Stream stream;
    private final Controls controls;
    private final Access access;
    private final ObjectMapper json;

    Api(Fleet fleet, Stream stream, Controls controls, Access access, ObjectMapper json) {
        this.fleet = fleet;
        this.stream = stream;
        this.controls = controls;
        this.access = access;
        this.json = json;
    }

    void install(WebServer server) {
        server.route("/api/session", (x, q) -> ok(x, json.createObjectNode().put("controls", access.controls()
                && controls != null).put("csrf", access.csrf()).put("now", fleet.now().toEpochMilli())
                .put("rawSamples", fleet.history().depth().rawSamples())
                .put("bucketSeconds", fleet.history().limits().bucketMillis() / 1000)));
        server.route("/api/fleet", this::fleetRows);
        server.route("/api/device", this::device);
        server.route("/api/series", this::series);
        server.route("/api/events", this::events);
        server.route("/api/time", this::time);
        server.route("/api/stream", this::stream);
        server.route("/api/control", this::control);
    }

    private void fleetRows(HttpExchange x, Map<String, String> q) throws IOException {
        DeviceQuery query;
        try {
            query = DeviceQuery.parse(q.getOrDefault("q", ""));
        } catch (IllegalArgumentException e) {
            bad(x, "q: " + e.getMessage());
            return;
        }
        Instant now = fleet.now();
        ObjectNode body = json.createObjectNode().put("now", now.toEpochMilli());
        ArrayNode rows = body.putArray("rows");
        ArrayNode troubled = body.putArray("troubled");
        for (DeviceView d : fleet.registry().devices()) {
            ObjectNode row = fleet.row(d, now);
            if (query.matches(d, row.path("state").asText())) {
                rows.add(row);
            }
        }
        fleet.troubled(now).forEach(d -> troubled.add(fleet.row(d, now)));
        var stats = fleet.registry().stats();
        body.putObject("stats").put("accepted", stats.accepted()).put("malformed", stats.malformed())
                .put("badTopics", stats.badTopics()).put("duplicates", stats.duplicates())
                .put("missing", stats.missing()).put("streamClients", stream.clients())
                .put("streamDropped", stream.dropped()).put("refusedRequests", access.refused())
                .put("historyRefusedDevices", fleet.history().refusedDevices())
                .put("historyRefusedChannels", fleet.history().refusedChannels());
        ok(x, body);
    }

    private void device(HttpExchange x, Map<String, String> q) throws IOException {
        String site = q.get("site");
        String id = q.get("id");
        if (!Ids.isValid(site) || !Ids.isValid(id)) {
            bad(x, "site/id: not valid ids");
            return;
        }
        var device = fleet.device(site, id, fleet.now());
        if (device.isEmpty()) {
            WebServer.send(x, 404, "application/json", "{\"error\":\"no such device\"}");
            return;
        }
        device.get().set("events", json.valueToTree(fleet.timeline().device(site, id)));
        ok(x, device.get());
    }

    private void series(HttpExchange x, Map<String, String> q) throws IOException {
        String site = q.get("site");
        String id = q.get("id");
        String channel = q.getOrDefault("channel", "");
        long windowSeconds;
        int points;
        try {
            windowSeconds = Long.parseLong(q.getOrDefault("window", "300"));
            points = Integer.parseInt(q.getOrDefault("points", "1000"));
        } catch (NumberFormatException e) {
            bad(x, "window/points: whole numbers");
            return;
        }
        if (!Ids.isValid(site) || !Ids.isValid(id) || channel.isEmpty() || channel.length() > 64) {
            bad(x, "site/id/channel: not valid");
            return;
        }
        if (windowSeconds < 60 || windowSeconds > MAX_WINDOW.toSeconds() || points < 10 || points > MAX_POINTS) {
            bad(x, "window: 60.." + MAX_WINDOW.toSeconds() + " s; points: 10.." + MAX_POINTS);
            return;
        }
        long to = fleet.now().toEpochMilli();
        var window = fleet.history().window(site, id, channel, to - windowSeconds * 1000, to, points);
        ObjectNode body = json.createObjectNode().put("now", to);
        ArrayNode t = body.putArray("t");
        ArrayNode v = body.putArray("v");
        window.ifPresent(p -> {
            for (int i = 0; i < p.size(); i++) {
                t.add(p.times()[i] / 1000.0); // uPlot's x axis is in seconds
                v.add(p.values()[i]);
            }
        });
        ok(x, body);
    }

    private void events(HttpExchange x, Map<String, String> q) throws IOException {
        long after;
        try {
            after = Long.parseLong(q.getOrDefault("after", "0"));
        } catch (NumberFormatException e) {
            bad(x, "after: a whole number");
            return;
        }
        ok(x, json.createObjectNode().set("entries", json.valueToTree(fleet.timeline().after(after, 2000))));
    }

    private void time(HttpExchange x, Map<String, String> q) throws IOException {
        ObjectNode body = json.createObjectNode();
        body.set("servers", json.valueToTree(fleet.timeServers().servers()));
        ArrayNode masters = body.putArray("masters");
        fleet.timeServers().masters().forEach(m -> masters.addObject().put("site", m.site()).put("id", m.id())
                .put("lastPoll", m.lastPoll().toEpochMilli()));
        body.put("refused", fleet.timeServers().refused());
        ok(x, body);
    }

    private void stream(HttpExchange x, Map<String, String> q) throws IOException {
        DeviceQuery query;
        try {
            query = DeviceQuery.parse(q.getOrDefault("q", ""));
        } catch (IllegalArgumentException e) {
            bad(x, "q: " + e.getMessage());
            return;
        }
        var client = stream.open(query, !"0".equals(q.get("fleet")));
        if (client.isEmpty()) {
            WebServer.send(x, 503, "text/plain", "too many dashboard clients");
            return;
        }
        x.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        x.getResponseHeaders().set("Cache-Control", "no-store");
        x.sendResponseHeaders(200, 0); // chunked
        try (OutputStream out = x.getResponseBody()) {
            out.write(": edgekit\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            while (!client.get().closed) {
                String frame = client.get().frames.poll(15, TimeUnit.SECONDS);
                out.write((frame == null ? ": keep-alive\n\n" : frame).getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stream.close(client.get());
        }
    }

    private void control(HttpExchange x, Map<String, String> q) throws IOException {
        if (!x.getRequestMethod().equals("POST")) {
            WebServer.send(x, 405, "text/plain", "POST only");
            return;
        }
        if (controls == null || !access.mayControl(x)) {
            WebServer.send(x, 403, "application/json", "{\"error\":\"controls need the operator role and this"
                    + " page's CSRF header\"}");
            return;
        }
        byte[] raw = WebServer.body(x);
        if (raw == null) {
            WebServer.send(x, 413, "text/plain", "request body over " + WebServer.MAX_BODY + " bytes");
            return;
        }
        Controls.Request request;
        try {
            JsonNode body = json.readTree(raw);
            if (body == null || !body.isObject()) {
                throw new IllegalArgumentException("body: a JSON object");
            }
            request = controls.parse(body);
        } catch (IOException | IllegalArgumentException e) {
            bad(x, e instanceof IOException ? "body: not JSON" : e.getMessage());
            return;
        }
        ObjectNode result = controls.send(request).join();
        ok(x, result);
    }

    private void ok(HttpExchange x, JsonNode body) throws IOException {
        WebServer.send(x, 200, "application/json", json.writeValueAsString(body));
    }

    private void bad(HttpExchange x, String message) throws IOException {
        WebServer.send(x, 400, "application/json", json.writeValueAsString(json.createObjectNode()
                .put("error", message)));
    }
}
