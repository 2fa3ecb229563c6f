package dev.edgekit.protocol.mqtt;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A socket's input as Paho reads it, with {@link WireStamps#RECEIVED} placeholders in PUBLISH packets overwritten by
 * the time the packet's first byte came off the socket. A PUBLISH packet of at most
 * {@link WireStamps#MAX_STAMPED_PACKET} bytes is handed on only once it is complete (Paho waits for the whole packet
 * anyway); every other packet, and every byte once the stream stops looking like MQTT framing, passes through as it
 * arrives. A read timeout of the socket propagates with nothing lost. Used by one reader thread at a time.
 */
final class StampingInputStream extends InputStream {
    private final InputStream in;
    private final LongSupplier clock;
    private byte[] buf = new byte[4096]; // grows for a stamped PUBLISH up to MAX_STAMPED_PACKET
    private int start;      // the next byte for the caller
    private int ready;      // [start, ready) may be handed out
    private int end;        // [ready, end) read from the socket, not framed yet
    private long passThrough; // bytes of the current unstamped packet still to release as they arrive
    private boolean unframed; // not MQTT framing after all: everything passes through
    private int lastFillStart = Integer.MAX_VALUE; // bytes from here on arrived with the last read ...
    private long lastFillNanos;                    // ... at this time
    private long pendingNanos;  // arrival of the first byte of the incomplete packet at `ready`

    StampingInputStream(InputStream in, LongSupplier clock) {
        this.in = Objects.requireNonNull(in);
        this.clock = Objects.requireNonNull(clock);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) return 0;
        while (start == ready) {
            if (!release() && fill() < 0) {
                if (end > ready) { // the peer closed mid-packet: hand on what there is
                    ready = end;
                    unframed = true;
                    continue;
                }
                return -1;
            }
        }
        int n = Math.min(len, ready - start);
        System.arraycopy(buf, start, b, off, n);
        start += n;
        return n;
    }

    @Override
    public int available() {
        return ready - start;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** Frames what has arrived; true if more bytes may now be handed out. */
    private boolean release() {
        int before = ready;
        while (ready < end) {
            if (unframed) {
                ready = end;
            } else if (passThrough > 0) {
                int n = (int) Math.min(passThrough, end - ready);
                ready += n;
                passThrough -= n;
            } else {
                long arrived = ready >= lastFillStart ? lastFillNanos : pendingNanos;
                long total = MqttFraming.packetLength(buf, ready, end);
                if (total == MqttFraming.MALFORMED) {
                    unframed = true;
                } else if (total == MqttFraming.NEED_MORE) {
                    pendingNanos = arrived;
                    break;
                } else if (!MqttFraming.isPublish(buf[ready]) || total > WireStamps.MAX_STAMPED_PACKET) {
                    passThrough = total;
                } else if (end - ready < total) {
                    pendingNanos = arrived;
                    break;
                } else {
                    WireStamps.stamp(buf, ready, ready + (int) total, WireStamps.RECEIVED_SUFFIX, arrived);
                    ready += (int) total;
                }
            }
        }
        return ready > before;
    }

    private int fill() throws IOException {
        if (start > 0) { // compact
            System.arraycopy(buf, start, buf, 0, end - start);
            ready -= start;
            end -= start;
            lastFillStart = lastFillStart == Integer.MAX_VALUE ? lastFillStart : Math.max(0, lastFillStart - start);
            start = 0;
        }
        if (end == buf.length) buf = Arrays.copyOf(buf, buf.length * 2); // only an incomplete stamped PUBLISH fills it
        int n = in.read(buf, end, buf.length - end);
        if (n <= 0) return n < 0 ? -1 : 0;
        lastFillNanos = clock.getAsLong();
        lastFillStart = end;
        end += n;
        return n;
    }
}
