package dev.edgekit.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgekit.protocol.message.Codec;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.ubiquitous.detect.DetectorConfig;
import dev.edgekit.ubiquitous.detect.LivenessMonitor;
import dev.edgekit.ubiquitous.registry.Registry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The dashboard's HTTP rules over a real socket (no broker needed: the session never connects): headers, the Host
 * check on loopback, the token and its cookie, the CSRF header for controls, bounded requests.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DashboardHttpIT {
    private final List<AutoCloseable> open = new ArrayList<>();

    record Response(int status, String head, String body) {
    }

    private Dashboard start(Dashboard.Options options) throws IOException {
        Registry registry = new Registry(Clock.systemUTC(), new Codec());
        LivenessMonitor liveness = LivenessMonitor.attach(registry, DetectorConfig.phiAccrual());
        MqttSession session = MqttSession.builder().server("tcp://127.0.0.1:1").clientId("http-it-" + System.nanoTime())
                .build();
        open.add(session);
        Dashboard d = Dashboard.start(options, registry, liveness, session, "+", Clock.systemUTC(),
                new SplittableRandom(1));
        open.add(0, d);
        return d;
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    static Response http(int port, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int split = text.indexOf("\r\n\r\n");
            String head = split < 0 ? text : text.substring(0, split);
            return new Response(Integer.parseInt(head.split(" ")[1]), head, split < 0 ? "" : text.substring(split + 4));
        }
    }

    static Response get(int port, String path, String host, String... headers) throws IOException {
        return http(port, "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n"
                + String.join("", List.of(headers).stream().map(h -> h + "\r\n").toList()) + "\r\n");
    }

    @Test
    void servesPagesWithAStrictContentSecurityPolicyAndNoSniffing() throws IOException {
        Dashboard d = start(Dashboard.Options.loopback(0));
        Response page = get(d.port(), "/", "127.0.0.1:" + d.port());
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.head()).containsIgnoringCase("Content-Security-Policy: default-src 'self'; script-src 'self';")
                .containsIgnoringCase("X-Content-Type-Options: nosniff")
                .containsIgnoringCase("Referrer-Policy: no-referrer");
        assertThat(page.body()).doesNotContain("<script>").doesNotContain("style=");
        assertThat(get(d.port(), "/static/uPlot.iife.min.js", "localhost:" + d.port()).status()).isEqualTo(200);
        assertThat(get(d.port(), "/static/../../etc/passwd", "localhost:" + d.port()).status()).isEqualTo(404);
    }

    @Test
    void onLoopbackRefusesAForeignHostName() throws IOException {
        Dashboard d = start(Dashboard.Options.loopback(0));
        assertThat(get(d.port(), "/api/fleet", "attacker.example:" + d.port()).status()).isEqualTo(401);
        assertThat(get(d.port(), "/api/fleet", "127.0.0.1:" + d.port()).status()).isEqualTo(200);
    }

    @Test
    void beyondLoopbackATokenIsRequired() {
        assertThatThrownBy(() -> start(new Dashboard.Options("0.0.0.0", 0, false, null, false, "dashboard",
                Duration.ofMillis(500)))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--token");
    }

    @Test
    void withATokenEveryRequestNeedsTheCookieOrTheBearerHeader() throws IOException {
        String token = "a-long-enough-token-0123456789";
        Dashboard d = start(Dashboard.Options.loopback(0).withToken(token));
        String host = "dashboard.example:" + d.port();
        assertThat(get(d.port(), "/api/fleet", host).status()).isEqualTo(401);
        assertThat(get(d.port(), "/login?token=wrong", host).status()).isEqualTo(401);
        Response login = get(d.port(), "/login?token=" + token, host);
        assertThat(login.status()).isEqualTo(303);
        assertThat(login.head()).contains("edgekit_token=" + token).contains("HttpOnly").contains("SameSite=Strict");
        assertThat(get(d.port(), "/api/fleet", host, "Cookie: edgekit_token=" + token).status()).isEqualTo(200);
        assertThat(get(d.port(), "/api/fleet", host, "Authorization: Bearer " + token).status()).isEqualTo(200);
        assertThat(get(d.port(), "/api/fleet", host, "Authorization: Bearer " + token + "x").status()).isEqualTo(401);
    }

    @Test
    void controlsNeedTheOperatorRoleAndThePagesCsrfHeader() throws IOException {
        Dashboard readOnly = start(Dashboard.Options.loopback(0));
        String body = "{\"site\":\"s\",\"id\":\"d\",\"actuator\":\"led\",\"on\":true}";
        assertThat(post(readOnly.port(), body, null).status()).isEqualTo(403);

        Dashboard operator = start(Dashboard.Options.loopback(0).withControls(true));
        assertThat(post(operator.port(), body, null).status()).isEqualTo(403);
        String csrf = get(operator.port(), "/api/session", "127.0.0.1:" + operator.port()).body()
                .replaceAll(".*\"csrf\":\"([0-9a-f]+)\".*", "$1");
        assertThat(post(operator.port(), body, csrf).status()).isEqualTo(400); // checked: no such device
        assertThat(post(operator.port(), body, csrf).body()).contains("no such device");
        assertThat(post(operator.port(), "{\"x\":\"" + "a".repeat(5000) + "\"}", csrf).status()).isEqualTo(413);
    }

    @Test
    void refusesBadParametersWithOneLineNamingThem() throws IOException {
        Dashboard d = start(Dashboard.Options.loopback(0));
        String host = "127.0.0.1:" + d.port();
        Response badQuery = get(d.port(), "/api/fleet?q=colour%3Dred", host);
        assertThat(badQuery.status()).isEqualTo(400);
        assertThat(badQuery.body()).contains("query key 'colour' is unknown");
        assertThat(get(d.port(), "/api/series?site=s&id=d&channel=t&window=999999", host).status()).isEqualTo(400);
        assertThat(get(d.port(), "/api/device?site=S%2F..&id=d", host).status()).isEqualTo(400);
        assertThat(get(d.port(), "/api/fleet?q=%zz", host).status()).isEqualTo(400);
        assertThat(get(d.port(), "/" + "a".repeat(5000), host).status()).isEqualTo(414);
    }

    private static Response post(int port, String body, String csrf) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return http(port, "POST /api/control HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n"
                + (csrf == null ? "" : "X-Edgekit-Csrf: " + csrf + "\r\n") + "\r\n" + body);
    }
}
