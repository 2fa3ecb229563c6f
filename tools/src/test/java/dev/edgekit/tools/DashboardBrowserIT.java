package dev.edgekit.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.edgekit.agent.config.AgentConfig;
import dev.edgekit.agent.runtime.Agent;
import dev.edgekit.agent.runtime.AgentEnvironment;
import dev.edgekit.dashboard.Dashboard;
import dev.edgekit.protocol.message.Codec;
import dev.edgekit.protocol.message.CommandReply;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.protocol.mqtt.Outgoing;
import dev.edgekit.protocol.shadow.Desired;
import dev.edgekit.protocol.shadow.Reported;
import dev.edgekit.protocol.shadow.ShadowCodec;
import dev.edgekit.protocol.shadow.ShadowTopics;
import dev.edgekit.protocol.topic.Topics;
import dev.edgekit.testkit.BrokerExtension;
import dev.edgekit.testkit.Closer;
import dev.edgekit.testkit.FaultProxy;
import dev.edgekit.ubiquitous.detect.DetectorConfig;
import dev.edgekit.ubiquitous.detect.LivenessMonitor;
import dev.edgekit.ubiquitous.registry.Registry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The dashboard in a real headless Chromium against simulated agents on a real Mosquitto: every device listed, a cut
 * connection shows as offline, plots have points that move, a control changes the simulated fan, a device named like
 * markup renders as text, and the browser console stays clean. Screenshots of each page go to target/.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DashboardBrowserIT {
    static final String SITE = "lab";
    static final String XSS = "<img src=x onerror=alert(1)>";

    @RegisterExtension
    final BrokerExtension broker = BrokerExtension.mosquitto();

    @RegisterExtension
    final Closer cleanup = new Closer();

    @TempDir
    Path dir;

    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);

    {
        cleanup.add(scheduler::shutdownNow);
    }

    private Agent agent(String id, String name, String brokerUri) throws Exception {
        AgentConfig config = new AgentConfig(SITE, id, name, new AgentConfig.BrokerConfig(List.of(brokerUri),
                Duration.ofSeconds(2), Duration.ZERO, null, null), Duration.ofMillis(500),
                AgentConfig.BoardKind.SIMULATED, SimulatedHardware.config(Duration.ofMillis(500),
                        SimulatedHardware.probeId(id.hashCode() & 0xff)), dir.resolve(id));
        Agent agent = Agent.create(config,
                AgentEnvironment.of(Clock.systemUTC(), scheduler, RandomGenerator.of("L64X128MixRandom"), "test"));
        cleanup.add(agent);
        agent.start().get(15, TimeUnit.SECONDS);
        return agent;
    }

    private Dashboard dashboard() throws Exception {
        Clock clock = Clock.systemUTC();
        Registry registry = new Registry(clock, new Codec());
        LivenessMonitor liveness = LivenessMonitor.attach(registry, DetectorConfig.phiAccrual());
        MqttSession session = MqttSession.builder().server(broker.uri()).clientId("dash-" + ProcessHandle.current()
                .pid() + "-" + System.nanoTime()).build();
        cleanup.add(session);
        registry.attach(session, SITE);
        Dashboard dashboard = Dashboard.start(new Dashboard.Options("127.0.0.1", 0, false, null, true, "dashboard",
                Duration.ofMillis(250)), registry, liveness, session, SITE, clock, new SplittableRandom(7));
        cleanup.add(dashboard);
        session.connect().get(10, TimeUnit.SECONDS);
        registry.ready().get(10, TimeUnit.SECONDS);
        return dashboard;
    }

    @Test
    void theDashboardShowsTheFleetLiveAndSafely() throws Exception {
        FaultProxy proxy = FaultProxy.start("127.0.0.1", broker.broker().port());
        cleanup.add(proxy);
        agent("alpha", "Alpha", broker.uri());
        agent("bravo", "Bravo", broker.uri());
        agent("doomed", "Doomed", "tcp://127.0.0.1:" + proxy.port());
        agent("xss", XSS, broker.uri());
        Dashboard dashboard = dashboard();

        try (Browser browser = Browser.start()) {
            var driver = browser.driver;
            driver.get(dashboard.url().toString());
            // the fleet table lists every device
            page().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(driver.findElements(
                    By.cssSelector("#fleet-body tr"))).extracting(e -> e.getAttribute("data-key"))
                    .containsExactlyInAnyOrder("lab/alpha", "lab/bravo", "lab/doomed", "lab/xss"));
            page().atMost(Duration.ofSeconds(10)).until(() -> state(driver, "lab/doomed").equals("online"));

            // the device named like markup renders as text, and no element came out of it
            WebElement xssRow = row(driver, "lab/xss");
            assertThat(xssRow.findElement(By.cssSelector(".name")).getText()).isEqualTo(XSS);
            assertThat(driver.findElements(By.cssSelector("main img"))).isEmpty();
            browser.screenshot("fleet");

            // cutting a device's connection: the broker sends its Will, the row turns offline
            long cutAt = System.nanoTime();
            proxy.cut();
            page().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20))
                    .until(() -> state(driver, "lab/doomed").equals("offline"));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cutAt);
            System.out.printf("dashboard: row offline %d ms after the connection was cut%n", millis);
            assertThat(driver.findElement(By.id("troubled-list")).getText()).contains("lab/doomed");

            // the fleet filter uses the devices query language, server-side
            driver.findElement(By.id("query")).clear();
            driver.findElement(By.id("query")).sendKeys("status=offline\n");
            page().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(driver.findElements(
                    By.cssSelector("#fleet-body tr"))).extracting(e -> e.getAttribute("data-key"))
                    .containsExactly("lab/doomed"));

            // a device: plots have points, and they move
            driver.get(dashboard.url() + "device?site=lab&id=alpha");
            String last = "window.edgekitPlots && window.edgekitPlots.get('env-temperature')"
                    + " ? window.edgekitPlots.get('env-temperature').lastTime() : null";
            page().atMost(Duration.ofSeconds(10)).until(() -> browser.js("return " + last) != null
                    && ((Number) browser.js("return window.edgekitPlots.get('env-temperature').points()"))
                            .intValue() > 1);
            double first = ((Number) browser.js("return " + last)).doubleValue();
            page().atMost(Duration.ofSeconds(10)).until(() -> ((Number) browser.js("return " + last)).doubleValue()
                    > first);
            assertThat(driver.findElements(By.cssSelector("[data-channel='env-humidity'] canvas"))).isNotEmpty();

            // a control: the fan's duty through cmd/set, the typed reply shown, the device's output changed
            WebElement fan = driver.findElement(By.cssSelector(".control[data-actuator='fan']"));
            fan.findElement(By.cssSelector("input.duty")).clear();
            fan.findElement(By.cssSelector("input.duty")).sendKeys("37");
            fan.findElement(By.cssSelector("button.set-duty")).click();
            page().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(fan.findElement(
                    By.cssSelector("output.reply")).getAttribute("data-status")).isEqualTo("ok"));
            assertThat(fanDuty("alpha")).isEqualTo(37);

            // an action the device's birth offers: identify blinks its LED, the reply's detail is shown
            WebElement actions = driver.findElement(By.cssSelector(".control.actions"));
            assertThat(actions.findElements(By.cssSelector("button.action"))).extracting(
                    e -> e.getAttribute("data-command")).containsExactly("ping", "identify"); // no time client here
            actions.findElement(By.cssSelector("button[data-command='identify']")).click();
            page().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(actions.findElement(
                    By.cssSelector("output.reply")).getAttribute("data-status")).isEqualTo("ok"));
            assertThat(actions.findElement(By.cssSelector("output.reply")).getText()).contains("output status");
            browser.screenshot("device");

            driver.get(dashboard.url() + "time");
            page().atMost(Duration.ofSeconds(10)).until(() -> !driver.findElements(
                    By.cssSelector("[data-chart='offset'] canvas")).isEmpty());
            browser.screenshot("time");

            driver.get(dashboard.url() + "events");
            page().atMost(Duration.ofSeconds(10)).until(() -> driver.findElement(By.id("events")).getText()
                    .contains("online→offline"));
            browser.screenshot("events");

            assertThat(browser.consoleErrors()).isEmpty();
        }
    }

    @Test
    void pendingShadowDeltasShowInTheFleetTableAndOnTheDevicePage() throws Exception {
        agent("alpha", "Alpha", broker.uri());
        agent("bravo", "Bravo", broker.uri());
        ShadowCodec shadows = new ShadowCodec();
        MqttSession writer = MqttSession.builder().server(broker.uri()).clientId("shadow-" + System.nanoTime()).build();
        cleanup.add(writer);
        writer.connect().get(10, TimeUnit.SECONDS);
        // written as the keeper and the device would: alpha runs the fan but refused the heartbeat
        writer.publish(Outgoing.retained(ShadowTopics.desired(SITE, "alpha"), shadows.encode(new Desired("alpha", 3,
                "", "alice", shadows.parseState("{\"fan\":40,\"config\":{\"heartbeat\":\"1ms\","
                        + "\"channels\":{\"env-pressure\":false}}}"))), 1)).get(5, TimeUnit.SECONDS);
        writer.publish(Outgoing.retained(ShadowTopics.reported(SITE, "alpha"), shadows.encode(new Reported("alpha", 3,
                "", shadows.parseState("{\"fan\":40,\"config\":{\"heartbeat\":\"500ms\","
                        + "\"channels\":{\"env-pressure\":true}}}"),
                java.util.Map.of("config.heartbeat", "1ms is out of range: between 100ms and 1h"))), 1))
                .get(5, TimeUnit.SECONDS);
        Dashboard dashboard = dashboard();

        try (Browser browser = Browser.start()) {
            var driver = browser.driver;
            driver.get(dashboard.url().toString());
            page().atMost(Duration.ofSeconds(15)).until(() -> pending(driver, "lab/alpha").equals("2"));
            assertThat(pending(driver, "lab/bravo")).isEqualTo("-"); // no desired document

            driver.get(dashboard.url() + "device?site=lab&id=alpha");
            page().atMost(Duration.ofSeconds(10)).until(() -> driver.findElements(
                    By.cssSelector("#shadow-pending tr")).size() == 2);
            WebElement heartbeat = driver.findElement(By.cssSelector("#shadow-pending tr[data-path='config.heartbeat']"));
            assertThat(heartbeat.getText()).contains("\"1ms\"").contains("\"500ms\"").contains("out of range");
            assertThat(driver.findElement(By.cssSelector(
                    "#shadow-pending tr[data-path='config.channels.env-pressure']")).getText()).contains("not applied yet");
            assertThat(driver.findElement(By.id("shadow-summary")).getText()).contains("2 pending")
                    .contains("desired version 3");
            browser.screenshot("device-shadow");

            // the device catches up: the page and the fleet row follow, live
            writer.publish(Outgoing.retained(ShadowTopics.reported(SITE, "alpha"), shadows.encode(new Reported(
                    "alpha", 3, "", shadows.parseState("{\"fan\":40,\"config\":{\"heartbeat\":\"1ms\","
                            + "\"channels\":{\"env-pressure\":false}}}"), java.util.Map.of())), 1))
                    .get(5, TimeUnit.SECONDS);
            page().atMost(Duration.ofSeconds(10)).until(() -> driver.findElement(By.id("shadow-summary")).getText()
                    .startsWith("in sync"));
            driver.get(dashboard.url().toString());
            page().atMost(Duration.ofSeconds(10)).until(() -> pending(driver, "lab/alpha").equals("0"));
            assertThat(browser.consoleErrors()).isEmpty();
        }
    }

    /** Waiting on a live page: an element it re-renders between finding and reading it is read again next time. */
    private static org.awaitility.core.ConditionFactory page() {
        return await().ignoreException(org.openqa.selenium.StaleElementReferenceException.class);
    }

    private static String pending(org.openqa.selenium.WebDriver driver, String key) {
        var cells = driver.findElements(By.cssSelector("#fleet-body tr[data-key='" + key + "'] td[data-col=pending]"));
        return cells.isEmpty() ? "" : cells.get(0).getText();
    }

    private static WebElement row(org.openqa.selenium.WebDriver driver, String key) {
        return driver.findElement(By.cssSelector("#fleet-body tr[data-key='" + key + "']"));
    }

    private static String state(org.openqa.selenium.WebDriver driver, String key) {
        var rows = driver.findElements(By.cssSelector("#fleet-body tr[data-key='" + key + "'] td.state"));
        return rows.isEmpty() ? "" : rows.get(0).getText();
    }

    /** Asks the device itself (cmd/get, an MQTT 5 request) for its fan's duty. */
    private int fanDuty(String id) throws Exception {
        try (MqttSession probe = MqttSession.builder().server(broker.uri()).clientId("probe-" + System.nanoTime())
                .build()) {
            probe.connect().get(10, TimeUnit.SECONDS);
            var reply = probe.request(Outgoing.of(Topics.command(SITE, id, "get").topic(),
                    "{\"v\":1}".getBytes(StandardCharsets.UTF_8), 1), Topics.ROOT + "/" + SITE + "/" + id
                    + "/reply/probe", Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
            CommandReply decoded = new Codec().decode(CommandReply.class, reply.payload());
            assertThat(decoded).isInstanceOf(CommandReply.Ok.class);
            return ((CommandReply.Ok) decoded).actuators().stream().filter(a -> a.name().equals("fan")).findFirst()
                    .orElseThrow().duty();
        }
    }
}
