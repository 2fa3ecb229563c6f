package dev.edgekit.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import dev.edgekit.agent.config.AgentConfig;
import dev.edgekit.agent.config.HardwareConfig;
import dev.edgekit.protocol.message.Heartbeat;
import dev.edgekit.testkit.BrokerExtension;
import dev.edgekit.testkit.ChronydProcess;
import dev.edgekit.testkit.Closer;
import dev.edgekit.time.DeviceClock;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two agents through a real Mosquitto: a stratum-1 agent that also answers NTP on {@code time.ntpPort}, and an agent
 * that syncs from it over MQTT and feeds a real chronyd ({@code -x}) through {@code time.chrony}; the heartbeat's
 * clock status says what each does.
 */
@Timeout(90)
class AgentNtpAndChronyIT {
    @RegisterExtension
    static final BrokerExtension broker = BrokerExtension.mosquitto();
    static final String SITE = "ntpit";

    @TempDir
    Path dir;

    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(4);

    @RegisterExtension
    final Closer cleanup = new Closer();

    {
        cleanup.add(scheduler::shutdownNow);
    }

    private Agent agent(String id, AgentConfig.TimeConfig time) throws Exception {
        AgentConfig config = new AgentConfig(SITE, id, null, new AgentConfig.BrokerConfig(List.of(broker.uri()),
                Duration.ofSeconds(2), Duration.ZERO, null, null), Duration.ofMillis(500),
                AgentConfig.BoardKind.SIMULATED, HardwareConfig.none(), dir.resolve(id), time);
        Agent agent = Agent.create(config,
                AgentEnvironment.of(DeviceClock.of(Clock.systemUTC()), scheduler, new SplittableRandom(7), "test"));
        cleanup.add(agent);
        agent.start().get(10, TimeUnit.SECONDS);
        return agent;
    }

    static AgentConfig.TimeConfig time(AgentConfig.TimeMode mode, List<String> servers, boolean serve, boolean reference,
                                       Integer ntpPort, AgentConfig.Chrony chrony) {
        AgentConfig.TimeConfig d = AgentConfig.TimeConfig.NONE;
        return new AgentConfig.TimeConfig(mode, servers, d.minPoll(), d.maxPoll(), null, null, d.driftFile(), serve,
                reference, d.berkeleyTolerance(), d.berkeleyPeriod(), ntpPort, chrony);
    }

    @Test
    void aServingAgentAnswersNtpAndASyncedAgentFeedsChronydWhichSaysSoInTheHeartbeat() throws Exception {
        assumeThat(ChronydProcess.unavailable()).as("chronyd").isEmpty();
        int ntpPort = freeUdpPort();
        Agent server = agent("ntp-s1", time(AgentConfig.TimeMode.NTP, List.of(), true, true, ntpPort, null));

        byte[] reply = query(ntpPort);
        assertThat(reply).hasSize(48);
        assertThat(reply[1]).as("stratum").isEqualTo((byte) 1);
        Heartbeat.ClockStatus served = server.time().clockStatus();
        assertThat(served.ntp()).isNotNull();
        assertThat(served.ntp().served()).isEqualTo(1);
        assertThat(served.chrony()).isNull();

        Path socket = dir.resolve("refclock.sock");
        ChronydProcess chronyd = ChronydProcess.start(dir.resolve("chronyd"),
                List.of("refclock SOCK " + socket + " refid EDGE poll 0", "port 0"));
        cleanup.add(chronyd);
        Agent client = agent("ntp-c1", time(AgentConfig.TimeMode.NTP, List.of("ntp-s1"), false, false, null,
                new AgentConfig.Chrony(socket, Duration.ofMillis(50), Duration.ofMillis(200))));
        await().atMost(Duration.ofSeconds(40)).until(() -> "accepting".equals(client.time().clockStatus().chrony()));
        // chronyc -c sources: mode,state,name,stratum,poll,reach,…: a reach register above 0 = samples arrived
        await().atMost(Duration.ofSeconds(20)).until(() -> edgeReach(chronyd) > 0);
        assertThat(client.time().chronyFeed().orElseThrow().status().sent()).isPositive();
        assertThat(client.time().clockStatus().ntp()).isNull();
    }

    private static int edgeReach(ChronydProcess chronyd) {
        return chronyd.chronyc("-c", "sources").lines().filter(l -> l.contains(",EDGE,")).findFirst()
                .map(l -> Integer.parseInt(l.split(",")[5], 8)).orElse(0);
    }

    private static byte[] query(int port) throws Exception {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            s.setSoTimeout(5_000);
            byte[] request = new byte[48];
            request[0] = (byte) ((4 << 3) | 3);
            ByteBuffer.wrap(request).putLong(40, 0x1122_3344_5566_7788L);
            s.send(new DatagramPacket(request, 48, InetAddress.getLoopbackAddress(), port));
            DatagramPacket in = new DatagramPacket(new byte[1024], 1024);
            s.receive(in);
            byte[] reply = java.util.Arrays.copyOf(in.getData(), in.getLength());
            assertThat(ByteBuffer.wrap(reply).getLong(24)).as("origin").isEqualTo(0x1122_3344_5566_7788L);
            return reply;
        }
    }

    private static int freeUdpPort() throws Exception {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
