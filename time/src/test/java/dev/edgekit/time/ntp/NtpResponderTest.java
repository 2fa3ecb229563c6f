package dev.edgekit.time.ntp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgekit.testkit.FakeClock;
import dev.edgekit.time.DeviceClock;
import dev.edgekit.time.DisciplinedClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class NtpResponderTest {
    static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
    final FakeClock time = new FakeClock(NOW);
    final InetSocketAddress client = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40_123);
    final ByteBuffer reply = ByteBuffer.allocate(NtpWire.HEADER_BYTES);

    NtpServerConfig config() {
        return NtpServerConfig.on(InetAddress.getLoopbackAddress(), 0);
    }

    DisciplinedClock stratumOne() {
        return DisciplinedClock.reference(DeviceClock.of(time), Duration.ofMillis(1));
    }

    long arrival(DisciplinedClock clock) {
        return clock.deviceNanos();
    }

    @Test
    void aClientRequestGetsAServerReplyOfTheSameSizeThatEchoesItsTransmitTimestamp() {
        DisciplinedClock clock = stratumOne();
        NtpResponder responder = new NtpResponder(clock, config());
        long transmit = 0x1234_5678_9abc_def0L;
        var outcome = responder.respond(NtpRequests.client(transmit), client, arrival(clock), reply);
        assertThat(outcome).isEqualTo(NtpResponder.SERVED);
        assertThat(reply.remaining()).isEqualTo(48);
        assertThat(NtpWire.leap(reply)).isZero();
        assertThat(NtpWire.version(reply)).isEqualTo(4);
        assertThat(NtpWire.mode(reply)).isEqualTo(NtpWire.MODE_SERVER);
        assertThat(reply.get(1)).as("stratum").isEqualTo((byte) 1);
        assertThat(reply.get(2)).as("poll echoed").isEqualTo((byte) 6);
        assertThat(reply.getInt(12)).as("reference id").isEqualTo(NtpWire.asciiId("EDGE"));
        assertThat(reply.getLong(NtpWire.ORIGIN)).isEqualTo(transmit);
        assertThat(NtpWire.epochNanos(reply.getLong(NtpWire.RECEIVE))).isCloseTo(NOW.getEpochSecond() * 1_000_000_000L,
                org.assertj.core.data.Offset.offset(1L));
    }

    @Test
    void rootDelayAndDispersionAddUpToTheClocksErrorBound() {
        DisciplinedClock clock = stratumOne();
        new NtpResponder(clock, config()).respond(NtpRequests.client(1), client, arrival(clock), reply);
        double rootDelay = (reply.getInt(4) & 0xFFFF_FFFFL) / 65_536.0;
        double rootDispersion = (reply.getInt(8) & 0xFFFF_FFFFL) / 65_536.0;
        double bound = clock.errorBoundNanos() / 1e9;
        assertThat(rootDelay / 2 + rootDispersion).isBetween(bound, bound + 2 / 65_536.0);
        assertThat(reply.get(3)).as("precision 2^-19 s for a 1 µs clock").isEqualTo((byte) -19);
    }

    @Test
    void anUnsynchronisedClockAnswersWithLeapAlarmAndStratum16() {
        DisciplinedClock clock = DisciplinedClock.over(DeviceClock.of(time));
        new NtpResponder(clock, config()).respond(NtpRequests.client(7), client, arrival(clock), reply);
        assertThat(NtpWire.leap(reply)).isEqualTo(NtpWire.LEAP_ALARM);
        assertThat(reply.get(1)).isEqualTo((byte) 16);
        assertThat(reply.getInt(12)).isZero();
        assertThat(reply.getLong(NtpWire.ORIGIN)).isEqualTo(7);
    }

    @Test
    void aServerSyncedFromAnUpstreamNamesItByTheFirstOctetsOfItsHash() throws Exception {
        DisciplinedClock clock = DisciplinedClock.over(DeviceClock.of(time));
        clock.adjust("time-1", Duration.ofMillis(2), Duration.ofMillis(1));
        new NtpResponder(clock, config()).respond(NtpRequests.client(7), client, arrival(clock), reply);
        byte[] md5 = MessageDigest.getInstance("MD5").digest("time-1".getBytes(StandardCharsets.UTF_8));
        assertThat(reply.get(1)).isEqualTo((byte) clock.stratum());
        assertThat(reply.getInt(12)).isEqualTo(ByteBuffer.wrap(md5).getInt());
        assertThat(NtpWire.leap(reply)).isZero();
    }

    @Test
    void sntpAndNtpv3ClientsGetAnAnswerInTheirOwnVersion() {
        DisciplinedClock clock = stratumOne();
        NtpResponder responder = new NtpResponder(clock, config());
        for (int version : new int[] {1, 2, 3}) {
            var outcome = responder.respond(NtpRequests.request(48, version, 3, 9), client, arrival(clock), reply);
            assertThat(outcome).isEqualTo(NtpResponder.SERVED);
            assertThat(NtpWire.version(reply)).isEqualTo(version);
        }
    }

    @Test
    void aRequestWithExtensionFieldsOrAMacGetsOnlyAHeaderBack() {
        DisciplinedClock clock = stratumOne();
        NtpResponder responder = new NtpResponder(clock, config());
        for (int length : new int[] {68, 72, 1024}) {
            var outcome = responder.respond(NtpRequests.request(length, 4, 3, 9), client, arrival(clock), reply);
            assertThat(outcome).isEqualTo(NtpResponder.SERVED);
            assertThat(reply.remaining()).isEqualTo(48);
        }
    }

    @Test
    void malformedAndHostileDatagramsAreDroppedWithTheirReason() {
        DisciplinedClock clock = stratumOne();
        NtpResponder responder = new NtpResponder(clock, config());
        assertThat(drop(responder, NtpRequests.request(47, 4, 3, 0), client)).isEqualTo(DropReason.SHORT);
        assertThat(drop(responder, NtpRequests.request(0, 4, 3, 0), client)).isEqualTo(DropReason.SHORT);
        assertThat(drop(responder, NtpRequests.request(1028, 4, 3, 1), client)).isEqualTo(DropReason.TOO_LARGE);
        assertThat(drop(responder, NtpRequests.request(50, 4, 3, 1), client)).isEqualTo(DropReason.BAD_LENGTH);
        assertThat(drop(responder, NtpRequests.request(48, 0, 3, 1), client)).isEqualTo(DropReason.BAD_VERSION);
        assertThat(drop(responder, NtpRequests.request(48, 5, 3, 1), client)).isEqualTo(DropReason.BAD_VERSION);
        assertThat(drop(responder, NtpRequests.request(48, 2, 6, 1), client)).isEqualTo(DropReason.CONTROL);
        assertThat(drop(responder, NtpRequests.request(48, 2, 7, 1), client)).isEqualTo(DropReason.CONTROL);
        for (int mode : new int[] {0, 1, 2, 4, 5}) {
            assertThat(drop(responder, NtpRequests.request(48, 4, mode, 1), client)).isEqualTo(DropReason.BAD_MODE);
        }
        assertThat(drop(responder, NtpRequests.client(1), new InetSocketAddress(client.getAddress(), 0)))
                .isEqualTo(DropReason.BAD_SOURCE);
        assertThat(drop(responder, NtpRequests.client(1), new InetSocketAddress("255.255.255.255", 123)))
                .isEqualTo(DropReason.BAD_SOURCE);
        assertThat(drop(responder, NtpRequests.client(1), new InetSocketAddress("224.0.1.1", 123)))
                .isEqualTo(DropReason.BAD_SOURCE);
    }

    @Test
    void aSourceOverItsRateGetsOneKissOfDeathThenSilenceAndIsAnsweredAgainOnceItSlowsDown() {
        DisciplinedClock clock = stratumOne();
        NtpResponder responder = new NtpResponder(clock, config()); // 1/s, burst 8, one kiss per 2 s
        for (int i = 0; i < 8; i++) {
            assertThat(responder.respond(NtpRequests.client(i), client, arrival(clock), reply)).isEqualTo(NtpResponder.SERVED);
        }
        assertThat(responder.respond(NtpRequests.client(8), client, arrival(clock), reply)).isEqualTo(NtpResponder.KISSED);
        assertThat(reply.remaining()).isEqualTo(48);
        assertThat(reply.get(1)).as("stratum 0").isZero();
        assertThat(reply.getInt(12)).isEqualTo(NtpWire.asciiId("RATE"));
        assertThat(reply.getLong(NtpWire.ORIGIN)).isEqualTo(8);
        assertThat(drop(responder, NtpRequests.client(9), client)).isEqualTo(DropReason.RATE);
        var other = new InetSocketAddress(InetAddress.getLoopbackAddress().getHostAddress().equals("127.0.0.1")
                ? "127.0.0.2" : "::2", 5000);
        assertThat(responder.respond(NtpRequests.client(1), other, arrival(clock), reply)).as("another source")
                .isEqualTo(NtpResponder.SERVED);
        time.advance(Duration.ofMillis(1_100));
        assertThat(responder.respond(NtpRequests.client(10), client, arrival(clock), reply)).isEqualTo(NtpResponder.SERVED);
    }

    @Test
    void theTableOfSourcesIsBounded() {
        DisciplinedClock clock = stratumOne();
        NtpResponder responder = new NtpResponder(clock, config().withMaxSources(16));
        for (int i = 0; i < 100; i++) {
            var source = new InetSocketAddress("10.0.0." + i, 123);
            responder.respond(NtpRequests.client(i), source, arrival(clock), reply);
        }
        assertThat(responder.sources()).isEqualTo(16);
    }

    private DropReason drop(NtpResponder responder, ByteBuffer request, InetSocketAddress from) {
        long before = reply.position();
        var outcome = responder.respond(request, from, time.instant().getEpochSecond() * 1_000_000_000L, reply);
        assertThat(outcome).isInstanceOf(NtpResponder.Outcome.Dropped.class);
        assertThat(reply.position()).isEqualTo(before);
        return ((NtpResponder.Outcome.Dropped) outcome).reason();
    }
}
