package dev.edgekit.time.ntp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.edgekit.time.DeviceClock;
import dev.edgekit.time.DisciplinedClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile and malformed datagrams over real UDP on loopback (seeded, bounded): every one is either answered with 48
 * bytes to a request at least that large, or dropped and counted; none is answered with more than it carried.
 */
@Timeout(60)
class NtpFuzzIT {
    static final long SEED = 0x5eed_19L;
    static final int DATAGRAMS = 3_000;

    @Test
    void noReplyIsLargerThanItsRequestAndEveryDropIsCounted() throws Exception {
        DisciplinedClock clock = DisciplinedClock.reference(DeviceClock.system(), Duration.ofMillis(1));
        // a generous rate so the fuzzing reaches the parser; the rate limit has its own test below
        NtpServerConfig config = NtpServerConfig.on(InetAddress.getLoopbackAddress(), 0).withRate(1e6, 1_000_000);
        SplittableRandom random = new SplittableRandom(SEED);
        Map<Long, Integer> sentLengthByTransmit = new HashMap<>();
        long answerable = 0;
        try (NtpServer server = NtpServer.start(clock, config); DatagramChannel client = DatagramChannel.open()) {
            client.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            InetSocketAddress to = server.localAddress();
            ByteBuffer in = ByteBuffer.allocate(2048);
            int replies = 0;
            for (int i = 0; i < DATAGRAMS; i++) {
                byte[] datagram = hostile(random);
                if (datagram.length >= 48) {
                    long tag = 0x7A00_0000_0000_0000L | i; // the transmit timestamp names the request in the reply
                    ByteBuffer.wrap(datagram).putLong(40, tag);
                    sentLengthByTransmit.put(tag, datagram.length);
                }
                if (wouldBeAnswered(datagram)) answerable++;
                client.send(ByteBuffer.wrap(datagram), to);
                // lockstep: the next datagram leaves once the server has taken this one, so a loaded machine never
                // overflows the socket buffers (UDP would drop silently, and the counts below would not add up)
                long taken = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                while (server.stats().received() < i + 1 && System.nanoTime() < taken) {
                    Thread.onSpinWait();
                }
                replies += drain(client, in, sentLengthByTransmit);
            }
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
                    .until(() -> server.stats().received() >= DATAGRAMS);
            int[] drained = {replies}; // the replies still on their way
            await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(10)).until(() -> {
                drained[0] += drain(client, in, sentLengthByTransmit);
                return drained[0] >= server.stats().served();
            });
            replies = drained[0];
            NtpServer.Stats stats = server.stats();
            assertThat(stats.received()).isEqualTo(DATAGRAMS);
            assertThat(stats.served() + stats.kissed() + stats.droppedTotal()).isEqualTo(stats.received());
            assertThat(stats.served()).isEqualTo(answerable);
            assertThat((long) replies).isEqualTo(stats.served());
            assertThat(stats.droppedTotal()).as("%s", stats.dropped()).isEqualTo(DATAGRAMS - answerable);
            assertThat(stats.dropped().get(DropReason.SHORT)).isPositive();
            assertThat(stats.dropped().get(DropReason.CONTROL)).isPositive();
            assertThat(stats.dropped().get(DropReason.TOO_LARGE)).isPositive();
        }
    }

    @Test
    void aFloodFromOneSourceGetsOneKissOfDeathAndThenNothing() throws Exception {
        DisciplinedClock clock = DisciplinedClock.reference(DeviceClock.system(), Duration.ofMillis(1));
        NtpServerConfig config = NtpServerConfig.on(InetAddress.getLoopbackAddress(), 0); // 1/s, burst 8
        try (NtpServer server = NtpServer.start(clock, config); DatagramChannel client = DatagramChannel.open()) {
            client.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            for (int i = 0; i < 200; i++) client.send(NtpRequests.client(i + 1), server.localAddress());
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
                    .until(() -> server.stats().received() >= 200);
            NtpServer.Stats stats = server.stats();
            assertThat(stats.received()).isEqualTo(200);
            assertThat(stats.served()).as("the burst, and at most a token or two refilled meanwhile").isBetween(8L, 12L);
            assertThat(stats.kissed()).isBetween(1L, 3L);
            assertThat(stats.dropped().get(DropReason.RATE)).isEqualTo(200 - stats.served() - stats.kissed());
        }
    }

    /** Random bytes of random length, or a valid request with one field broken, or an oversize one. */
    private static byte[] hostile(SplittableRandom random) {
        int kind = random.nextInt(6);
        int length = switch (kind) {
            case 0 -> random.nextInt(0, 48);            // short
            case 1 -> random.nextInt(1025, 1500);       // too large (cut by the server's buffer)
            default -> 48 + 4 * random.nextInt(0, 60);  // header, maybe with extension fields
        };
        byte[] b = new byte[length];
        random.nextBytes(b);
        if (length > 0 && kind >= 3) {
            int version = kind == 5 ? random.nextInt(0, 8) : random.nextInt(1, 5);
            int mode = kind == 4 ? random.nextInt(0, 8) : 3;
            b[0] = (byte) ((random.nextInt(4) << 6) | (version << 3) | mode);
        }
        return b;
    }

    private static boolean wouldBeAnswered(byte[] b) {
        if (b.length < 48 || b.length > 1024 || b.length % 4 != 0) return false;
        int version = (b[0] >> 3) & 7;
        int mode = b[0] & 7;
        return version >= 1 && version <= 4 && mode == 3;
    }

    /** Reads what replies are waiting; each must be 48 bytes and answer a request of at least 48. */
    private static int drain(DatagramChannel client, ByteBuffer in, Map<Long, Integer> sent) throws Exception {
        int n = 0;
        client.configureBlocking(false);
        try {
            while (true) {
                in.clear();
                if (client.receive(in) == null) return n;
                in.flip();
                n++;
                assertThat(in.remaining()).isEqualTo(48);
                Integer requestLength = sent.get(in.getLong(24));
                assertThat(requestLength).as("a reply echoes the transmit stamp of a request we sent").isNotNull();
                assertThat(in.remaining()).isLessThanOrEqualTo(requestLength);
            }
        } finally {
            client.configureBlocking(true);
        }
    }
}
