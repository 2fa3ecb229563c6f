package dev.edgekit.dashboard;

import com.sun.net.httpserver.HttpExchange;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * Who may see and who may act. On loopback without a token anyone on this machine may look, but only requests whose
 * {@code Host} names the loopback listener are served (a foreign page cannot rebind a name to 127.0.0.1 and read the
 * fleet). With a token every request needs it, as the {@code edgekit_token} cookie that {@code /login?token=…} sets
 * (HttpOnly, SameSite=Strict) or an {@code Authorization: Bearer} header; tokens are compared in constant time.
 * Output controls additionally need the dashboard to run with controls on and the request to carry the per-run CSRF
 * value in {@code X-Edgekit-Csrf} (only the dashboard's own pages can read it). Refusals are counted.
 */
final class Access {
    static final String COOKIE = "edgekit_token";
    static final String CSRF_HEADER = "X-Edgekit-Csrf";

    private final byte[] token; // null: loopback, no token
    private final String csrf;
    private final Set<String> loopbackHosts;
    private final boolean controls;
    private final AtomicLong refused = new AtomicLong();

    Access(String token, int port, boolean controls, RandomGenerator random) {
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        byte[] b = new byte[24];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) random.nextInt(256);
        }
        this.csrf = HexFormat.of().formatHex(b);
        this.loopbackHosts = Set.of("127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port);
        this.controls = controls;
    }

    boolean tokenRequired() {
        return token != null;
    }

    boolean controls() {
        return controls;
    }

    String csrf() {
        return csrf;
    }

    /** Whether {@code exchange} may read the dashboard. */
    boolean mayView(HttpExchange exchange) {
        boolean ok = token == null ? loopbackHosts.contains(exchange.getRequestHeaders().getFirst("Host"))
                : matches(bearer(exchange)) || matches(cookie(exchange));
        if (!ok) {
            refused.incrementAndGet();
        }
        return ok;
    }

    /** Whether {@code exchange} may send an output command (after {@link #mayView}). */
    boolean mayControl(HttpExchange exchange) {
        String sent = exchange.getRequestHeaders().getFirst(CSRF_HEADER);
        boolean ok = controls && sent != null && MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
                csrf.getBytes(StandardCharsets.UTF_8));
        if (!ok) {
            refused.incrementAndGet();
        }
        return ok;
    }

    /** Whether {@code candidate} is the token (constant time in the candidate's content). */
    boolean matches(String candidate) {
        return token != null && candidate != null && candidate.length() <= 512
                && MessageDigest.isEqual(candidate.getBytes(StandardCharsets.UTF_8), token);
    }

    private static String bearer(HttpExchange exchange) {
        String h = exchange.getRequestHeaders().getFirst("Authorization");
        return h != null && h.startsWith("Bearer ") ? h.substring(7).strip() : null;
    }

    private static String cookie(HttpExchange exchange) {
        List<String> headers = exchange.getRequestHeaders().get("Cookie");
        if (headers == null) {
            return null;
        }
        for (String header : headers) {
            for (String part : header.split(";")) {
                String p = part.strip();
                if (p.startsWith(COOKIE + "=")) {
                    return p.substring(COOKIE.length() + 1);
                }
            }
        }
        return null;
    }

    long refused() {
        return refused.get();
    }
}
