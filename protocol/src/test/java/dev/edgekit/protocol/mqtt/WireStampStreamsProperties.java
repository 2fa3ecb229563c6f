package dev.edgekit.protocol.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/**
 * The stamping streams never change an MQTT byte stream except for the placeholders they are meant to overwrite,
 * however the stream is cut into writes, reads, flushes and read timeouts.
 */
class WireStampStreamsProperties {
    private static final long SEND_TIME = 1_764_111_111_222_333_444L;
    private static final long RECEIVE_TIME = 1_764_111_111_999_888_777L;

    /** A packet: type nibble, body length, and which placeholders its body holds where. */
    record Packet(int type, int bodyLength, List<Integer> sentAt, List<Integer> receivedAt) {
        byte[] bytes() {
            byte[] body = new byte[bodyLength];
            Random random = new Random(bodyLength * 31L + type);
            for (int i = 0; i < body.length; i++) body[i] = (byte) ('a' + random.nextInt(26));
            place(body, sentAt, WireStamps.SENT);
            place(body, receivedAt, WireStamps.RECEIVED);
            ByteArrayOutputStream packet = new ByteArrayOutputStream();
            packet.write(type << 4 | (type == 3 ? 0 : type == 8 ? 2 : 0));
            int remaining = bodyLength;
            do { // MQTT Remaining Length
                int digit = remaining % 128;
                remaining /= 128;
                packet.write(remaining > 0 ? digit | 0x80 : digit);
            } while (remaining > 0);
            packet.writeBytes(body);
            return packet.toByteArray();
        }

        private static void place(byte[] body, List<Integer> at, String placeholder) {
            for (int a : at) {
                if (a + WireStamps.LENGTH <= body.length) {
                    System.arraycopy(placeholder.getBytes(StandardCharsets.US_ASCII), 0, body, a, WireStamps.LENGTH);
                }
            }
        }
    }

    @Provide
    Arbitrary<List<Packet>> streams() {
        Arbitrary<Integer> type = Arbitraries.of(3, 3, 3, 4, 9, 12, 13, 1, 2);
        Arbitrary<Integer> length = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.integers().between(0, 300)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(300, 20_000)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(60_000, 70_000)));
        Arbitrary<List<Integer>> positions = Arbitraries.integers().between(0, 280).list().ofMaxSize(2);
        Arbitrary<Packet> packet = Combinators.combine(type, length, positions, positions).as((t, l, s, r) -> {
            List<Integer> sent = new ArrayList<>(s);
            List<Integer> received = new ArrayList<>(r);
            received.removeIf(x -> sent.stream().anyMatch(y -> Math.abs(x - y) < WireStamps.LENGTH));
            received.removeIf(x -> received.stream().anyMatch(y -> y < x && x - y < WireStamps.LENGTH));
            sent.removeIf(x -> sent.stream().anyMatch(y -> y < x && x - y < WireStamps.LENGTH));
            return new Packet(t, l, sent, received);
        });
        return packet.list().ofMinSize(1).ofMaxSize(12);
    }

    /** What a stream of packets should look like after a stamping side: only its own placeholders replaced. */
    private static byte[] expected(List<Packet> packets, String placeholder, long time) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (Packet p : packets) {
            byte[] b = p.bytes();
            if (p.type() == 3 && b.length <= WireStamps.MAX_STAMPED_PACKET) {
                String latin = new String(b, StandardCharsets.ISO_8859_1).replace(placeholder, WireStamps.format(time));
                b = latin.getBytes(StandardCharsets.ISO_8859_1);
            }
            all.writeBytes(b);
        }
        return all.toByteArray();
    }

    private static byte[] concat(List<Packet> packets) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        packets.forEach(p -> all.writeBytes(p.bytes()));
        return all.toByteArray();
    }

    @Property(tries = 300)
    void outputStampsOnlySentPlaceholdersInPublishPackets(@ForAll("streams") List<Packet> packets,
                                                          @ForAll @LongRange(min = 1, max = 1 << 20) long seed)
            throws IOException {
        ByteArrayOutputStream socket = new ByteArrayOutputStream();
        OutputStream out = new StampingOutputStream(socket, () -> SEND_TIME);
        Random random = new Random(seed);
        for (Packet p : packets) { // Paho: header and payload as separate writes, in chunks, then a flush
            byte[] b = p.bytes();
            int i = 0;
            while (i < b.length) {
                int n = Math.min(b.length - i, 1 + random.nextInt(random.nextBoolean() ? 16 : 9000));
                out.write(b, i, n);
                i += n;
            }
            if (random.nextBoolean()) out.flush();
        }
        out.flush();
        assertThat(socket.toByteArray()).isEqualTo(expected(packets, WireStamps.SENT, SEND_TIME));
    }

    @Property(tries = 300)
    void inputStampsOnlyReceivedPlaceholdersInPublishPackets(@ForAll("streams") List<Packet> packets,
                                                             @ForAll @LongRange(min = 1, max = 1 << 20) long seed)
            throws IOException {
        Random random = new Random(seed);
        InputStream in = new StampingInputStream(new ChoppyStream(concat(packets), random), () -> RECEIVE_TIME);
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        byte[] buffer = new byte[20_000];
        while (true) {
            int n;
            try {
                n = random.nextInt(10) == 0 ? singleByte(in, buffer) : in.read(buffer, 0, 1 + random.nextInt(buffer.length));
            } catch (SocketTimeoutException e) {
                continue; // Paho's receiver does the same: its socket has a read timeout
            }
            if (n < 0) break;
            read.write(buffer, 0, n);
        }
        assertThat(read.toByteArray()).isEqualTo(expected(packets, WireStamps.RECEIVED, RECEIVE_TIME));
    }

    private static int singleByte(InputStream in, byte[] buffer) throws IOException {
        int b = in.read();
        if (b < 0) return -1;
        buffer[0] = (byte) b;
        return 1;
    }

    @Test
    void aPacketIsStampedWithTheArrivalOfItsFirstByte() throws IOException {
        Packet p = new Packet(3, 60, List.of(), List.of(20));
        byte[] b = p.bytes();
        long[] now = {100};
        InputStream socket = new InputStream() { // first half now, the rest 50 ns later
            int at;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] into, int off, int len) {
                if (at == b.length) return -1;
                int n = at == 0 ? 30 : b.length - at;
                System.arraycopy(b, at, into, off, n);
                at += n;
                return n;
            }
        };
        InputStream in = new StampingInputStream(socket, () -> now[0]++ * 50);
        byte[] got = in.readAllBytes();
        assertThat(new String(got, StandardCharsets.US_ASCII)).contains(WireStamps.format(5000));
    }

    @Test
    void streamsThatAreNotMqttPassThroughUntouched() throws IOException {
        byte[] garbage = new byte[500];
        Arrays.fill(garbage, (byte) 0xFF); // a Remaining Length of more than four bytes
        System.arraycopy(WireStamps.SENT.getBytes(StandardCharsets.US_ASCII), 0, garbage, 100, WireStamps.LENGTH);
        ByteArrayOutputStream socket = new ByteArrayOutputStream();
        try (OutputStream out = new StampingOutputStream(socket, () -> SEND_TIME)) {
            out.write(garbage);
        }
        assertThat(socket.toByteArray()).isEqualTo(garbage);
        assertThat(new StampingInputStream(new ByteArrayInputStream(garbage), () -> 1).readAllBytes()).isEqualTo(garbage);
    }

    @Test
    void readsAndFormatsStamps() {
        assertThat(WireStamps.read(WireStamps.format(SEND_TIME))).hasValue(SEND_TIME);
        assertThat(WireStamps.format(42)).isEqualTo("0000000000000000042");
        assertThat(WireStamps.read(WireStamps.SENT)).isEmpty();
        assertThat(WireStamps.read(WireStamps.RECEIVED)).isEmpty();
        assertThat(WireStamps.read(null)).isEmpty();
        assertThat(WireStamps.read("123")).isEmpty();
        assertThat(WireStamps.read("9999999999999999999")).isEmpty(); // beyond a long
        assertThat(WireStamps.SENT).hasSize(WireStamps.LENGTH);
        assertThat(WireStamps.RECEIVED).hasSize(WireStamps.LENGTH);
    }

    /** A socket that returns random chunks and sometimes times out. */
    private static final class ChoppyStream extends InputStream {
        private final byte[] data;
        private final Random random;
        private int at;

        ChoppyStream(byte[] data, Random random) {
            this.data = data;
            this.random = random;
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException("the stamping stream reads in chunks");
        }

        @Override
        public int read(byte[] b, int off, int len) throws SocketTimeoutException {
            if (random.nextInt(8) == 0) throw new SocketTimeoutException("read timed out");
            if (at == data.length) return -1;
            int n = Math.min(Math.min(len, data.length - at), 1 + random.nextInt(random.nextBoolean() ? 8 : 5000));
            System.arraycopy(data, at, b, off, n);
            at += n;
            return n;
        }
    }
}
