package dev.edgekit.dashboard;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side: the JDK's {@code com.sun.net.httpserver} (no dependency; it streams Server-Sent Events as a chunked
 * response) on virtual threads, one per request. Every response carries a strict Content-Security-Policy (scripts,
 * styles and connections from this origin only; no inline code), {@code X-Content-Type-Options: nosniff},
 * {@code Referrer-Policy: no-referrer} and {@code X-Frame-Options: DENY}. Request lines over 4 KiB and bodies over
 * 1 KiB are refused. Static files come from the classpath only: the pages under {@code web/} and uPlot's webjar.
 */
final class WebServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebServer.class);
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self';"
            + " connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";
    static final int MAX_URI = 4096;
    static final int MAX_BODY = 1024;
    static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist/";
    private static final String WEB = "dev/edgekit/dashboard/web/";
    private static final Map<String, String> PAGES = Map.of("/", "fleet.html", "/device", "device.html",
            "/time", "time.html", "/events", "events.html");
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "svg", "image/svg+xml");

    /** One API route: answers with a status and a body, or handles the exchange itself (the stream). */
    interface Route {
        void handle(HttpExchange exchange, Map<String, String> query) throws IOException;
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, Route> routes = new HashMap<>();
    private volatile Access access;

    WebServer(InetSocketAddress address) throws IOException {
        this.server = HttpServer.create(address, 64);
        server.setExecutor(executor);
        server.createContext("/", this::dispatch);
    }

    /** Who may do what; set before {@link #start()} (it needs the bound port). */
    void access(Access access) {
        this.access = access;
    }

    void route(String path, Route route) {
        routes.put(path, route);
    }

    void start() {
        server.start();
    }

    InetSocketAddress address() {
        return server.getAddress();
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        Access access = this.access;
        try (exchange) {
            Headers h = exchange.getResponseHeaders();
            h.set("Content-Security-Policy", CSP);
            h.set("X-Content-Type-Options", "nosniff");
            h.set("Referrer-Policy", "no-referrer");
            h.set("X-Frame-Options", "DENY");
            String raw = exchange.getRequestURI().getRawPath();
            String rawQuery = exchange.getRequestURI().getRawQuery();
            if (raw.length() + (rawQuery == null ? 0 : rawQuery.length()) > MAX_URI) {
                send(exchange, 414, "text/plain", "request line too long");
                return;
            }
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("POST")) {
                send(exchange, 405, "text/plain", "method not allowed");
                return;
            }
            Map<String, String> query;
            try {
                query = query(rawQuery);
            } catch (IllegalArgumentException e) {
                send(exchange, 400, "text/plain", "malformed query string");
                return;
            }
            if (raw.equals("/login") && access.tokenRequired()) {
                login(exchange, query, access);
                return;
            }
            if (!access.mayView(exchange)) {
                send(exchange, 401, "text/plain", access.tokenRequired()
                        ? "token required: open /login?token=… or send Authorization: Bearer …"
                        : "unexpected Host header");
                return;
            }
            Route route = routes.get(raw);
            if (route != null) {
                route.handle(exchange, query);
            } else if (PAGES.containsKey(raw)) {
                resource(exchange, WEB + PAGES.get(raw));
            } else if (raw.startsWith("/static/") && raw.matches("/static/[a-z0-9-]+\\.(js|css|svg)")) {
                resource(exchange, WEB + raw.substring("/static/".length()));
            } else if (raw.equals("/favicon.ico")) {
                resource(exchange, WEB + "icon.svg");
            } else if (raw.equals("/static/uPlot.iife.min.js") || raw.equals("/static/uPlot.min.css")) {
                resource(exchange, UPLOT + raw.substring("/static/".length()));
            } else {
                send(exchange, 404, "text/plain", "not found");
            }
        } catch (IOException e) {
            log.debug("dashboard request ended: {}", e.toString());
        } catch (RuntimeException e) {
            log.warn("dashboard request failed", e);
        }
    }

    private void login(HttpExchange exchange, Map<String, String> query, Access access) throws IOException {
        String token = query.get("token");
        if (!access.matches(token)) {
            access.mayView(exchange); // counts the refusal
            send(exchange, 401, "text/plain", "wrong token");
            return;
        }
        exchange.getResponseHeaders().add("Set-Cookie", Access.COOKIE + "=" + token
                + "; Path=/; HttpOnly; SameSite=Strict");
        exchange.getResponseHeaders().set("Location", "/");
        exchange.sendResponseHeaders(303, -1);
    }

    private void resource(HttpExchange exchange, String name) throws IOException {
        try (InputStream in = WebServer.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                send(exchange, 404, "text/plain", "not found");
                return;
            }
            byte[] body = in.readAllBytes();
            String ext = name.substring(name.lastIndexOf('.') + 1);
            exchange.getResponseHeaders().set("Content-Type", TYPES.getOrDefault(ext, "application/octet-stream"));
            exchange.getResponseHeaders().set("Cache-Control", "no-cache");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type.contains("charset") ? type : type + "; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** Reads a request body of at most {@link #MAX_BODY} bytes, or null when larger. */
    static byte[] body(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] b = in.readNBytes(MAX_BODY + 1);
            return b.length > MAX_BODY ? null : b;
        }
    }

    static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&", 32)) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(k, v);
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
