package dev.edgekit.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.edgekit.dashboard.Dashboard;
import dev.edgekit.protocol.message.Birth;
import dev.edgekit.protocol.message.Capability;
import dev.edgekit.protocol.message.Codec;
import dev.edgekit.protocol.message.Heartbeat;
import dev.edgekit.protocol.message.Message;
import dev.edgekit.protocol.message.Telemetry;
import dev.edgekit.protocol.mqtt.Inbound;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.protocol.topic.DeviceTopic;
import dev.edgekit.protocol.topic.Topics;
import dev.edgekit.ubiquitous.detect.DetectorConfig;
import dev.edgekit.ubiquitous.detect.LivenessMonitor;
import dev.edgekit.ubiquitous.registry.Registry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * A benchmark, not a check (opt-in): a synthetic feed of N devices (birth, 1 Hz heartbeat, three channels at 1 Hz)
 * straight into the registry, the fleet page in headless Chromium, and the figures printed: time to first render,
 * what applying the live batches costs the page, long tasks, and the JS heap at the start and after M minutes.
 * Asserts nothing about time. Run:
 * <pre>
 * ./scripts/mvn -o -pl tools -am verify -Dtest=none -Dit.test=DashboardScaleIT -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dfailsafe.failIfNoSpecifiedTests=false -Ddashboard.scale.devices=1000 -Ddashboard.scale.minutes=10
 * </pre>
 */
class DashboardScaleIT {
    @Test
    void measuresTheFleetPageWithManyDevices() throws Exception {
        int devices = Integer.getInteger("dashboard.scale.devices", 0);
        int minutes = Integer.getInteger("dashboard.scale.minutes", 2);
        Assumptions.assumeTrue(devices > 0, "benchmark: pass -Ddashboard.scale.devices=1000 to run it");
        Clock clock = Clock.systemUTC();
        Codec codec = new Codec();
        Registry registry = new Registry(clock, codec);
        LivenessMonitor liveness = LivenessMonitor.attach(registry, DetectorConfig.phiAccrual());
        ScheduledExecutorService feed = Executors.newSingleThreadScheduledExecutor();
        try (MqttSession idle = MqttSession.builder().server("tcp://127.0.0.1:1").clientId("scale-" + System.nanoTime())
                .build();
                Dashboard dashboard = Dashboard.start(Dashboard.Options.loopback(0), registry, liveness, idle, "+",
                        clock, new SplittableRandom(1));
                Browser browser = Browser.start()) {
            long[] seq = new long[devices];
            for (int i = 0; i < devices; i++) {
                String id = String.format(Locale.ROOT, "dev-%05d", i);
                deliver(registry, codec, Topics.state("scale", id), new Birth(id, "Device " + i, "scale",
                        new Birth.Board("synthetic", id), List.of(Capability.sensor("temperature", "°C"),
                        Capability.sensor("humidity", "%RH"), Capability.sensor("pressure", "hPa")), "bench", null,
                        null, clock.instant(), 1, List.of()), true);
            }
            SplittableRandom random = new SplittableRandom(42);
            long startNanos = System.nanoTime();
            feed.scheduleAtFixedRate(() -> {
                Instant now = clock.instant();
                long tick = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos);
                for (int i = 0; i < devices; i++) {
                    String id = String.format(Locale.ROOT, "dev-%05d", i);
                    deliver(registry, codec, Topics.heartbeat("scale", id), new Heartbeat(id, tick, 1, now, tick,
                            new Heartbeat.ClockStatus(random.nextGaussian() * 50, 200 + random.nextDouble() * 300, 2,
                                    "ref", "ntp", 12), new Heartbeat.OutboxStatus(0, 0), List.of()), false);
                    for (String channel : List.of("temperature", "humidity", "pressure")) {
                        deliver(registry, codec, Topics.telemetry("scale", id, channel), new Telemetry(id, seq[i]++,
                                channel, 20 + random.nextGaussian(), "u", now), false);
                    }
                }
            }, 0, 1, TimeUnit.SECONDS);
            Thread.sleep(2000); // a few heartbeats, so phi has intervals (a benchmark's warm-up, not a wait)

            var driver = browser.driver;
            long t0 = System.nanoTime();
            driver.get(dashboard.url().toString());
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() ->
                    browser.js("return window.edgekitFirstRender") != null);
            long firstRenderMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            Object pageFirstRender = browser.js("return window.edgekitFirstRender");
            System.out.println("dashboard scale: page timings " + browser.js("return window.edgekitTimings"));
            browser.js("window.__long = {n: 0, ms: 0}; new PerformanceObserver((l) => { for (const e of"
                    + " l.getEntries()) { window.__long.n++; window.__long.ms += e.duration; } })"
                    + ".observe({entryTypes: ['longtask']});");
            Map<String, Object> memoryStart = browser.memory();
            browser.js("window.edgekitStreamCost.batches = 0; window.edgekitStreamCost.ms = 0;"
                    + " window.edgekitStreamCost.rows = 0;");
            long measureStart = System.nanoTime();
            Thread.sleep(TimeUnit.MINUTES.toMillis(minutes)); // the benchmark's measuring period
            double seconds = (System.nanoTime() - measureStart) / 1e9;
            @SuppressWarnings("unchecked")
            Map<String, Object> cost = (Map<String, Object>) browser.js("return window.edgekitStreamCost");
            @SuppressWarnings("unchecked")
            Map<String, Object> longTasks = (Map<String, Object>) browser.js("return window.__long");
            browser.js("if (window.gc) window.gc();");
            Map<String, Object> memoryEnd = browser.memory();
            browser.screenshot("scale-" + devices);
            double batches = ((Number) cost.get("batches")).doubleValue();
            double ms = ((Number) cost.get("ms")).doubleValue();
            System.out.printf(Locale.ROOT, "dashboard scale: %d devices; first render %d ms"
                    + " (WebDriver get to painted table; the page: %s ms after navigation start); over %.0f s: %.0f batches, %.0f rows applied, %.2f ms per batch (%.1f %%"
                    + " of the main thread), long tasks %s; JS heap used %.1f MB at start, %.1f MB after %d min%n",
                    devices, firstRenderMs, pageFirstRender, seconds, batches, ((Number) cost.get("rows"))
                            .doubleValue(), batches == 0 ? 0 : ms / batches, 100 * ms / (seconds * 1000), longTasks,
                    ((Number) memoryStart.get("used")).doubleValue() / 1e6,
                    ((Number) memoryEnd.get("used")).doubleValue() / 1e6, minutes);
            assertThat(driver.findElements(By.cssSelector("#fleet-body tr"))).hasSize(devices);
        } finally {
            feed.shutdownNow();
        }
    }

    private static void deliver(Registry registry, Codec codec, DeviceTopic topic, Message message, boolean retained) {
        registry.accept(new Inbound(topic.topic(), codec.encode(message), 1, retained, false, Map.of(),
                Optional.empty(), null, null, Instant.now()));
    }
}
