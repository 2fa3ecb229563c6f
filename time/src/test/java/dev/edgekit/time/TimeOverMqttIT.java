package dev.edgekit.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.edgekit.protocol.message.Codec;
import dev.edgekit.protocol.mqtt.Inbound;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.testkit.BrokerExtension;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Clock synchronisation through a real Mosquitto: time servers, clients, strata, loops, bad replies, Berkeley.
 * Ground truth is the host clock (the reference of every simulated device clock and of the stratum-1 server).
 * No assertion on speed: waits are generous, and accuracy is judged against the bound each clock reports.
 */
@Timeout(120)
class TimeOverMqttIT {
    @RegisterExtension
    static final BrokerExtension broker = BrokerExtension.mosquitto();

    static final String SITE = "it";
    static final Clock REFERENCE = Clock.systemUTC();

    final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closing.reversed()) c.close();
        scheduler.shutdownNow();
    }

    MqttSession session(String id, DeviceClock device) {
        MqttSession s = MqttSession.builder().server(broker.uri()).clientId(id).clock(device).build();
        closing.add(s);
        s.connect().join();
        return s;
    }

    DeviceClock skewed(Duration offset, double driftPpm) {
        return DeviceClock.simulated(REFERENCE).offset(offset).driftPpm(driftPpm).build();
    }

    TimeServer stratumOne(String id) {
        DisciplinedClock clock = DisciplinedClock.reference(DeviceClock.of(REFERENCE), Duration.ZERO);
        TimeServer server = TimeServer.start(session(id, clock.device()), SITE, id, clock);
        closing.add(server);
        server.ready().join();
        return server;
    }

    /** A client (optionally also serving) over its own session. */
    record Node(String id, DisciplinedClock clock, TimeSync sync, TimeClient client, MqttSession session,
                TimeServer server) {}

    Node client(String id, DeviceClock device, List<String> servers, boolean serve, TimeSyncConfig.Builder config) {
        DisciplinedClock clock = DisciplinedClock.over(device);
        MqttSession session = session(id, device);
        TimeServer server = null;
        if (serve) {
            server = TimeServer.start(session, SITE, id, clock);
            closing.add(server);
            server.ready().join();
        }
        TimeSyncConfig cfg = (config != null ? config : TimeSyncConfig.builder(id, servers)).build();
        TimeSync sync = TimeSync.create(cfg, clock, Optional.empty());
        TimeClient client = TimeClient.start(session, SITE, id, sync, cfg, scheduler, true, null);
        closing.add(client);
        return new Node(id, clock, sync, client, session, server);
    }

    Node client(String id, DeviceClock device, List<String> servers) {
        return client(id, device, servers, false, null);
    }

    /**
     * |disciplined − reference| now, at least: the reading lies between two reference reads, so the true error is at
     * least |reading − midpoint| − half the window; the tightest of a few tries (a pause between the reads only
     * widens the window, never fakes an error).
     */
    static long trueErrorNanos(DisciplinedClock clock) {
        long best = Long.MAX_VALUE;
        long bestWindow = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long before = Nanos.epochNanos(REFERENCE.instant());
            long reading = clock.epochNanos();
            long after = Nanos.epochNanos(REFERENCE.instant());
            if (after - before < bestWindow) {
                bestWindow = after - before;
                best = Math.max(0, Math.abs(reading - (before + after) / 2) - (after - before) / 2);
            }
        }
        return best;
    }

    static void assertInsideItsBound(DisciplinedClock clock) {
        for (int i = 0; i < 50; i++) {
            long bound = clock.errorBoundNanos();
            assertThat(trueErrorNanos(clock)).as("true error vs reported bound %d ns", bound).isLessThanOrEqualTo(bound);
        }
    }

    @Test
    void anAgentTenSecondsOffConvergesToAStratumOneServerWithItsTrueErrorInsideItsReportedBound() {
        stratumOne("ts1");
        Node node = client("dev-1", skewed(Duration.ofSeconds(10), 200), List.of("ts1"));

        await().atMost(Duration.ofSeconds(60)).until(() -> node.clock().synchronised()
                && trueErrorNanos(node.clock()) < 1_000_000);
        assertThat(node.clock().stratum()).isEqualTo(2);
        assertThat(node.clock().selectedServer()).contains("ts1");
        assertThat(node.clock().errorBound()).isPresent();
        assertInsideItsBound(node.clock());
        assertThat(node.sync().status().state()).isEqualTo(SyncStatus.State.SYNCHRONISED);
        // every exchange took its four timestamps at the sockets (both sessions stamp on tcp://)
        TimeClient.Stats stats = node.client().stats();
        assertThat(stats.repliesOnWire()).isPositive()
                .isGreaterThanOrEqualTo(stats.accepted() - 1); // one exchange may be between the two counters
    }

    @Test
    void aStratumTwoServerServesAtStratumTwoAndItsClientEndsAtStratumThreeWithTheWholeChain() {
        stratumOne("ts1");
        Node middle = client("ts2", skewed(Duration.ofSeconds(-3), -50), List.of("ts1"), true, null);
        Node leaf = client("dev-2", skewed(Duration.ofSeconds(7), 120), List.of("ts2"));
        Map<String, TimeMessage.Announce> announced = new ConcurrentHashMap<>();
        Codec codec = new Codec();
        MqttSession watcher = session("watcher", DeviceClock.of(REFERENCE));
        watcher.subscribe(TimeTopics.announcements(SITE), 1, in -> {
            try {
                TimeMessage.Announce a = codec.decode(TimeMessage.Announce.class, in.payload());
                announced.put(a.server(), a);
            } catch (Exception ignored) {
                // a cleared announcement
            }
        });

        await().atMost(Duration.ofSeconds(60)).until(() -> leaf.clock().synchronised() && leaf.clock().stratum() == 3);
        assertThat(middle.clock().stratum()).isEqualTo(2);
        assertThat(leaf.clock().stratum()).isEqualTo(3);
        assertThat(leaf.clock().serverInfo("dev-2").referenceChain()).containsExactly("dev-2", "ts2", "ts1");
        assertInsideItsBound(leaf.clock());
        // the stratum-2 server's announcement follows its stratum once it is refreshed
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            middle.server().refreshAnnouncement(); // an agent's TimeService does this every few seconds
            assertThat(announced.get("ts2")).isNotNull();
            assertThat(announced.get("ts2").stratum()).isEqualTo(2);
            assertThat(announced.get("ts2").chain()).containsExactly("ts2", "ts1");
        });
        assertThat(announced.get("ts1").stratum()).isEqualTo(1);
    }

    @Test
    void aServerWhoseChainContainsTheClientIsRefusedAsALoop() {
        stratumOne("ts1");
        // a syncs from ts1, and would also take b; b syncs from a: b's chain contains a
        Node a = client("a", skewed(Duration.ofSeconds(2), 30), List.of("ts1", "b"), true, null);
        Node b = client("b", skewed(Duration.ofSeconds(-2), -30), List.of("a"), true, null);

        await().atMost(Duration.ofSeconds(40)).until(() -> b.clock().synchronised()
                && a.sync().rejections().getOrDefault(RejectReason.LOOP, 0L) > 0);
        assertThat(a.clock().stratum()).isEqualTo(2);
        assertThat(a.clock().selectedServer()).contains("ts1");
        assertThat(b.clock().stratum()).isEqualTo(3);
        assertThat(b.clock().serverInfo("b").referenceChain()).containsExactly("b", "a", "ts1");
        assertInsideItsBound(a.clock());
    }

    /** Answers every request with a different kind of bad reply, in turn. */
    static final class RogueServer {
        final AtomicInteger turn = new AtomicInteger();
        final Codec codec = new Codec();

        void answer(MqttSession session, ScheduledExecutorService scheduler, Inbound in) {
            TimeMessage.Request r;
            try {
                r = codec.decode(TimeMessage.Request.class, in.payload());
            } catch (Exception e) {
                return;
            }
            long now = Nanos.epochNanos(REFERENCE.instant());
            long t1 = r.originNanos();
            ServerInfo info = ServerInfo.primary("rogue", 1000);
            int k = turn.getAndIncrement() % 7;
            switch (k) {
                case 0 -> reply(session, in, TimeMessage.Reply.of(r.token() + 12345, t1, now, now, info, null)); // unknown token
                case 1 -> reply(session, in, TimeMessage.Reply.of(r.token(), t1, now, now - 1_000_000, info, null)); // t3 < t2
                case 2 -> reply(session, in, TimeMessage.Reply.of(r.token(), t1, 1_000, 2_000, info, null)); // 1970
                case 3 -> reply(session, in, TimeMessage.Reply.of(r.token(), t1, now, now + 10_000_000_000L, info, null)); // held 10 s: δ < 0
                case 4 -> reply(session, in, TimeMessage.Reply.of(r.token(), t1, now, now, ServerInfo.primary("other", 1000), null)); // not asked
                case 5 -> scheduler.schedule(() -> reply(session, in, TimeMessage.Reply.of(r.token(), t1, now, now, info, null)),
                        450, TimeUnit.MILLISECONDS); // after the exchange timed out: stale
                default -> session.respond(in, "{\"v\":1,\"server\":\"rogue\"".getBytes(), 0); // malformed
            }
        }

        void reply(MqttSession session, Inbound in, TimeMessage.Reply reply) {
            session.respond(in, codec.encodeRecord(reply), 0);
        }
    }

    @Test
    void badRepliesAreCountedByReasonAndNeverMoveTheClock() {
        RogueServer rogue = new RogueServer();
        MqttSession rogueSession = session("rogue", DeviceClock.of(REFERENCE));
        rogueSession.subscribe(TimeTopics.request(SITE, "rogue"), 0, in -> rogue.answer(rogueSession, scheduler, in))
                .granted().join();
        Node victim = client("victim", skewed(Duration.ofSeconds(5), 0), List.of("rogue"), false,
                TimeSyncConfig.builder("victim", List.of("rogue")).replyTimeout(Duration.ofMillis(300)));
        // and a stranger's reply with correlation data nobody asked for
        Inbound forged = new Inbound(TimeTopics.request(SITE, "rogue"), new byte[0], 0, false, false, Map.of(),
                Optional.empty(), TimeTopics.reply(SITE, "victim"), new byte[] {1, 2, 3, 4}, REFERENCE.instant());
        await().atMost(Duration.ofSeconds(10)).until(() -> victim.client().stats().requestsSent() > 0);
        rogueSession.respond(forged, "{}".getBytes(), 0);

        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
            Map<RejectReason, Long> r = victim.sync().rejections();
            assertThat(r.getOrDefault(RejectReason.UNKNOWN_CORRELATION, 0L)).isPositive();
            assertThat(r.getOrDefault(RejectReason.SERVER_TIMESTAMPS_REVERSED, 0L)).isPositive();
            assertThat(r.getOrDefault(RejectReason.IMPLAUSIBLE_TIMESTAMP, 0L)).isPositive();
            assertThat(r.getOrDefault(RejectReason.NEGATIVE_DELAY, 0L)).isPositive();
            assertThat(r.getOrDefault(RejectReason.UNSELECTED_SERVER, 0L)).isPositive();
            assertThat(r.getOrDefault(RejectReason.STALE, 0L)).isPositive();
            assertThat(victim.client().stats().malformedReplies()).isPositive();
        });
        assertThat(victim.sync().acceptedSamples()).isZero();
        assertThat(victim.clock().synchronised()).isFalse();
        assertThat(victim.clock().steps()).isZero();
        long error = victim.clock().epochNanos() - Nanos.epochNanos(REFERENCE.instant());
        assertThat(error).isBetween(4_990_000_000L, 5_010_000_000L); // still 5 s off: nothing moved it
        assertThat(victim.session().stats().unmatchedReplies()).isPositive();
    }

    @Test
    void aBerkeleyRoundBringsFiveMembersTogetherAndLeavesTheOutlierOutOfTheAverageButCorrectsIt() {
        long[] offsetsMillis = {0, 1_000, -1_000, 2_000, -2_000, 3_600_000};
        List<BerkeleyMember> members = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        MqttSession masterSession = null;
        for (int i = 0; i < offsetsMillis.length; i++) {
            String id = "m" + (i + 1);
            DisciplinedClock clock = DisciplinedClock.over(skewed(Duration.ofMillis(offsetsMillis[i]), 20 * i - 50));
            MqttSession s = session(id, clock.device());
            BerkeleyMember m = BerkeleyMember.start(s, SITE, id, clock);
            closing.add(m);
            m.ready().join();
            members.add(m);
            ids.add(id);
            if (i == 0) masterSession = s;
        }
        assertThat(BerkeleyMaster.lowestId(ids)).isEqualTo("m1");
        BerkeleyMaster master = new BerkeleyMaster(masterSession, SITE, "m1", members.get(0).clock(),
                Duration.ofSeconds(10), Duration.ofSeconds(2), 3, members.get(0));

        BerkeleyMaster.Outcome outcome = master.runRound(ids).orTimeout(30, TimeUnit.SECONDS).join();

        assertThat(outcome.unreachable()).isEmpty();
        assertThat(outcome.result().excluded()).containsExactly("m6");
        await().atMost(Duration.ofSeconds(10)).until(() -> members.stream().allMatch(m -> m.stats().adjustmentsApplied() == 1));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            // every member, the outlier included, agrees with every other within the sum of their reported bounds
            for (BerkeleyMember x : members) {
                for (BerkeleyMember y : members) {
                    long ex = x.clock().epochNanos() - Nanos.epochNanos(REFERENCE.instant());
                    long ey = y.clock().epochNanos() - Nanos.epochNanos(REFERENCE.instant());
                    long allowance = x.clock().errorBoundNanos() + y.clock().errorBoundNanos() + 200_000;
                    assertThat(Math.abs(ex - ey)).as("%s vs %s", x.id(), y.id()).isLessThanOrEqualTo(allowance);
                }
            }
        });
        // the common time is the average of the five good clocks (0 here), not pulled an hour by the outlier
        long common = members.get(0).clock().epochNanos() - Nanos.epochNanos(REFERENCE.instant());
        assertThat(Math.abs(common)).isLessThan(50_000_000L);
    }
}
