package dev.edgekit.agent.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.edgekit.agent.config.AgentConfig;
import dev.edgekit.agent.config.HardwareConfig;
import dev.edgekit.agent.runtime.Agent;
import dev.edgekit.agent.runtime.AgentEnvironment;
import dev.edgekit.hardware.board.Boards;
import dev.edgekit.hardware.board.SimulatedBoard;
import dev.edgekit.hardware.board.SimulationSettings;
import dev.edgekit.hardware.spec.Bme280Spec;
import dev.edgekit.hardware.spec.BoardSpec;
import dev.edgekit.hardware.spec.DigitalOutputSpec;
import dev.edgekit.hardware.spec.Frequency;
import dev.edgekit.hardware.spec.PwmOutputSpec;
import dev.edgekit.testkit.BrokerExtension;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.tahu.message.SparkplugBPayloadDecoder;
import org.eclipse.tahu.message.SparkplugBPayloadEncoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.SparkplugBPayload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An agent with {@code interop.sparkplug} against an independent Sparkplug host on a real Mosquitto: a plain Paho
 * client that decodes with Eclipse Tahu's own {@code SparkplugBPayloadDecoder}. Births, data by alias, seq continuity,
 * writes by DCMD, rebirth by NCMD, NDEATH on a clean stop and from the Will after a crash, bdSeq across a restart.
 */
@Timeout(90)
class SparkplugHostIT {
    @RegisterExtension
    static final BrokerExtension broker = BrokerExtension.mosquitto();

    private static final BoardSpec SPEC = BoardSpec.of(Bme280Spec.onBus1("env"), DigitalOutputSpec.led("status", 22),
            new PwmOutputSpec("fan", 18, Frequency.ofKilohertz(25)));

    record Seen(String type, String device, SparkplugBPayload payload) {
        long bdSeq() {
            return payload.getMetrics().stream().filter(m -> "bdSeq".equals(m.getName())).map(m -> (Long) m.getValue())
                    .findFirst().orElse(-1L);
        }
    }

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final List<Agent> agents = new ArrayList<>();
    private final String id = "spb-" + Long.toHexString(System.nanoTime());
    private MqttAsyncClient host;
    private SimulatedBoard board;

    @BeforeEach
    void host() throws Exception {
        connectHost();
    }

    /** A new host client each time: a Paho client whose connect failed (broker still down) may stay stuck. */
    private void connectHost() throws Exception {
        if (host != null) {
            try {
                host.close(true);
            } catch (Exception e) {
                // it was not connected: nothing to close
            }
        }
        host = new MqttAsyncClient(broker.uri(), id + "-host", new MemoryPersistence());
        host.setCallback(new org.eclipse.paho.mqttv5.client.MqttCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) throws Exception {
                String[] levels = topic.split("/");
                if (levels.length >= 4 && levels[3].equals(id)) {
                    seen.add(new Seen(levels[2], levels.length > 4 ? levels[4] : null,
                            new SparkplugBPayloadDecoder().buildFromByteArray(message.getPayload(), null)));
                }
            }

            @Override
            public void disconnected(org.eclipse.paho.mqttv5.client.MqttDisconnectResponse r) {
            }

            @Override
            public void mqttErrorOccurred(org.eclipse.paho.mqttv5.common.MqttException e) {
            }

            @Override
            public void deliveryComplete(org.eclipse.paho.mqttv5.client.IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
            }

            @Override
            public void authPacketArrived(int reasonCode, org.eclipse.paho.mqttv5.common.packet.MqttProperties p) {
            }
        });
        host.connect().waitForCompletion(10_000);
        host.subscribe("spBv1.0/lab/#", 1).waitForCompletion(10_000);
    }

    @AfterEach
    void stop() throws Exception {
        agents.forEach(a -> a.stop(Duration.ofSeconds(2)));
        host.disconnect().waitForCompletion(5_000);
        host.close();
        scheduler.shutdownNow();
    }

    private Agent start() throws Exception {
        Clock clock = Clock.systemUTC();
        board = Boards.openSimulated(SPEC, clock, scheduler, SimulationSettings.seeded(4).withConstantSignals());
        AgentConfig config = new AgentConfig("lab", id, null, AgentConfig.BrokerConfig.of(broker.uri()),
                Duration.ofSeconds(1), AgentConfig.BoardKind.SIMULATED,
                HardwareConfig.of(SPEC).withInterval(Duration.ofMillis(200)), Path.of("target", "it-state", id))
                .withInterop(new AgentConfig.Interop(false, "homeassistant", new AgentConfig.Sparkplug("lab")));
        Agent agent = Agent.create(config, AgentEnvironment.of(clock, scheduler, new SplittableRandom(1), "it"),
                board);
        agents.add(agent);
        agent.start().get(10, TimeUnit.SECONDS);
        return agent;
    }

    private List<Seen> of(String type) {
        return seen.stream().filter(s -> s.type().equals(type)).toList();
    }

    private void send(String type, String device, Metric metric) throws Exception {
        SparkplugBPayload payload = new SparkplugBPayload(new Date(), new ArrayList<>(List.of(metric)));
        host.publish("spBv1.0/lab/" + type + "/" + id + (device == null ? "" : "/" + device),
                new SparkplugBPayloadEncoder().getBytes(payload, false), 1, false).waitForCompletion(5_000);
    }

    @Test
    void theHostSeesBirthsThenDataByAliasWithAnUnbrokenSeq() throws Exception {
        start();
        await().atMost(Duration.ofSeconds(10)).until(() -> of("DDATA").size() >= 12);

        Seen nbirth = of("NBIRTH").get(0);
        assertThat(nbirth.payload().getSeq()).isZero();
        assertThat(nbirth.bdSeq()).isBetween(0L, 255L);
        assertThat(nbirth.payload().getMetrics()).extracting(Metric::getName)
                .contains("bdSeq", "Node Control/Rebirth");
        assertThat(of("DBIRTH")).extracting(Seen::device).containsExactly("env", "status", "fan");
        Seen env = of("DBIRTH").get(0);
        assertThat(env.payload().getMetrics()).extracting(Metric::getName)
                .containsExactly("temperature", "humidity", "pressure");
        assertThat(env.payload().getMetrics()).allMatch(Metric::hasAlias);
        Seen data = of("DDATA").get(0);
        assertThat(data.payload().getMetrics()).allSatisfy(m -> {
            assertThat(m.getName()).isNull(); // by alias only, after the birth
            assertThat(m.hasAlias()).isTrue();
        });
        List<Long> seqs = seen.stream().filter(s -> !s.type().equals("NDEATH")).map(s -> s.payload().getSeq())
                .toList();
        for (int i = 1; i < seqs.size(); i++) {
            assertThat(seqs.get(i)).as("seq %d", i).isEqualTo((seqs.get(i - 1) + 1) % 256);
        }
    }

    @Test
    void aDcmdWritesAnOutputAndAnNcmdRebirthGivesNewBirthsWithTheSameBdSeq() throws Exception {
        start();
        await().atMost(Duration.ofSeconds(10)).until(() -> of("DBIRTH").size() == 3);
        long bdSeq = of("NBIRTH").get(0).bdSeq();

        send("DCMD", "fan", new Metric.MetricBuilder("duty", MetricDataType.Int32, 40).createMetric());
        send("DCMD", "fan", new Metric.MetricBuilder("duty", MetricDataType.Int32, 400).createMetric()); // refused
        await().atMost(Duration.ofSeconds(10)).until(() -> board.pwm("fan").dutyCyclePercent() == 40);
        await().atMost(Duration.ofSeconds(10)).until(() -> of("DDATA").stream().anyMatch(s -> "fan".equals(s.device())
                && s.payload().getMetrics().get(0).getValue().equals(40)));

        // the refusal is counted and published as a node metric (NDATA, at most once a second)
        await().atMost(Duration.ofSeconds(10)).until(() -> refusedCount("bad-value") == 1);

        send("NCMD", null, new Metric.MetricBuilder("Node Control/Rebirth", MetricDataType.Boolean, true)
                .createMetric());
        await().atMost(Duration.ofSeconds(10)).until(() -> of("NBIRTH").size() == 2);
        assertThat(of("NBIRTH").get(1).bdSeq()).isEqualTo(bdSeq);
        assertThat(of("NBIRTH").get(1).payload().getSeq()).isZero();
        assertThat(of("NBIRTH").get(1).payload().getMetrics()).filteredOn(m -> "Refused/bad-value".equals(m.getName()))
                .singleElement().satisfies(m -> assertThat(m.getValue()).isEqualTo(1L));
    }

    @Test
    void aFloodOfCommandsIsRateLimitedAndCounted() throws Exception {
        start();
        await().atMost(Duration.ofSeconds(10)).until(() -> of("DBIRTH").size() == 3);
        long began = System.nanoTime();
        for (int i = 0; i < 40; i++) {
            send("DCMD", "status", new Metric.MetricBuilder("on", MetricDataType.Boolean, i % 2 == 0).createMetric());
        }
        double sendingSeconds = (System.nanoTime() - began) / 1e9;
        // a burst of 10 and 5 a second go through; the rest is refused (however slow the sending was)
        long mostCarriedOut = 10 + (long) Math.ceil(5 * sendingSeconds) + 1;
        await().atMost(Duration.ofSeconds(10)).until(() -> refusedCount("rate-limited") >= 40 - mostCarriedOut);
        assertThat(refusedCount("rate-limited")).isLessThanOrEqualTo(30);
    }

    /** The last count of {@code Refused/{cause}} the host heard: by name in NBIRTH, then by alias in NDATA. */
    private long refusedCount(String cause) {
        Long alias = null;
        long count = 0;
        for (Seen s : seen) {
            if (s.type().equals("NBIRTH")) {
                for (Metric m : s.payload().getMetrics()) {
                    if (("Refused/" + cause).equals(m.getName())) {
                        alias = m.getAlias();
                        count = (Long) m.getValue();
                    }
                }
            } else if (s.type().equals("NDATA") && alias != null) {
                for (Metric m : s.payload().getMetrics()) {
                    if (alias.equals(m.getAlias())) {
                        count = (Long) m.getValue();
                    }
                }
            }
        }
        return count;
    }

    @Test
    void afterABrokerRestartTheNodeIsBornAgainWithTheNextBdSeq() throws Exception {
        start();
        await().atMost(Duration.ofSeconds(10)).until(() -> of("NBIRTH").size() == 1);
        long bdSeq = of("NBIRTH").get(0).bdSeq();

        broker.broker().restart(); // dev.conf keeps nothing: the host and the node both connect anew
        long[] lastAsked = {0};
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
            if (!host.isConnected()) {
                connectHost();
            }
            // the node may have been born again before this host re-subscribed: a host asks for a rebirth then
            if (of("NBIRTH").size() < 2 && System.nanoTime() - lastAsked[0] > 1_000_000_000L) {
                lastAsked[0] = System.nanoTime();
                send("NCMD", null, new Metric.MetricBuilder("Node Control/Rebirth", MetricDataType.Boolean, true)
                        .createMetric());
            }
            return of("NBIRTH").size() >= 2;
        });
        Seen again = of("NBIRTH").get(of("NBIRTH").size() - 1);
        assertThat(again.bdSeq()).isEqualTo((bdSeq + 1) % 256); // a new connection, a new Will, a new bdSeq
        assertThat(again.payload().getSeq()).isZero();
    }

    @Test
    void deathsCarryTheBirthsBdSeqOnACleanStopAndAfterACrashAndARestartTakesTheNext() throws Exception {
        Agent first = start();
        await().atMost(Duration.ofSeconds(10)).until(() -> of("NBIRTH").size() == 1);
        long bdSeq = of("NBIRTH").get(0).bdSeq();
        first.stop(Duration.ofSeconds(2));
        agents.remove(first);
        await().atMost(Duration.ofSeconds(10)).until(() -> of("NDEATH").size() == 1); // the Will, by DISCONNECT 0x04
        assertThat(of("NDEATH").get(0).bdSeq()).isEqualTo(bdSeq);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> of("NDEATH").size() == 1); // one death, not a published one and the Will

        Agent second = start(); // same state folder
        await().atMost(Duration.ofSeconds(10)).until(() -> of("NBIRTH").size() == 2);
        long next = of("NBIRTH").get(1).bdSeq();
        assertThat(next).isEqualTo((bdSeq + 1) % 256);
        second.crash(); // no DISCONNECT: the broker publishes the Will
        agents.remove(second);
        await().atMost(Duration.ofSeconds(10)).until(() -> of("NDEATH").size() == 2);
        assertThat(of("NDEATH").get(1).bdSeq()).isEqualTo(next);
    }
}
