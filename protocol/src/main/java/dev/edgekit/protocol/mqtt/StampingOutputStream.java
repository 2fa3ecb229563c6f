package dev.edgekit.protocol.mqtt;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A socket's output as Paho writes it, with {@link WireStamps#SENT} placeholders in PUBLISH packets overwritten just
 * before the packet goes to the socket. A PUBLISH packet of at most {@link WireStamps#MAX_STAMPED_PACKET} bytes is
 * gathered until complete (Paho writes a whole packet before it flushes); every other packet, and every byte once the
 * stream stops looking like MQTT framing, is written as it comes. Each write of Paho's ends in at most one socket
 * write of whole packets.
 */
final class StampingOutputStream extends OutputStream {
    private final OutputStream out;
    private final LongSupplier clock;
    private byte[] pending = new byte[1024]; // grows for a stamped PUBLISH up to MAX_STAMPED_PACKET
    private int count;          // [0, count) not written yet
    private int framed;         // [0, framed) complete packets (or passed-through bytes), ready for the socket
    private int[] stampAt = new int[4]; // placeholders inside the complete PUBLISH packets of [0, framed)
    private int stamps;
    private long passThrough;   // bytes of the current unstamped packet still to come
    private boolean unframed;

    StampingOutputStream(OutputStream out, LongSupplier clock) {
        this.out = Objects.requireNonNull(out);
        this.clock = Objects.requireNonNull(clock);
    }

    @Override
    public synchronized void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        while (len > 0) {
            if (count == 0 && (unframed || passThrough >= len)) { // nothing to frame: straight to the socket
                out.write(b, off, len);
                if (!unframed) passThrough -= len;
                return;
            }
            int n = Math.min(len, pending.length - count);
            if (n == 0) { // full: write what is complete, or grow for the packet being gathered
                if (framed > 0) writeFramed();
                else pending = Arrays.copyOf(pending, pending.length * 2);
                continue;
            }
            System.arraycopy(b, off, pending, count, n);
            count += n;
            off += n;
            len -= n;
            frame();
            if (framed > 0 && (len == 0 || framed == count)) writeFramed();
        }
    }

    @Override
    public synchronized void flush() throws IOException {
        if (framed > 0) writeFramed();
        out.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            flush();
        } finally {
            out.close();
        }
    }

    private void frame() {
        while (framed < count) {
            if (unframed) {
                framed = count;
            } else if (passThrough > 0) {
                int n = (int) Math.min(passThrough, count - framed);
                framed += n;
                passThrough -= n;
            } else {
                long total = MqttFraming.packetLength(pending, framed, count);
                if (total == MqttFraming.MALFORMED) {
                    unframed = true;
                } else if (total == MqttFraming.NEED_MORE) {
                    return;
                } else if (!MqttFraming.isPublish(pending[framed]) || total > WireStamps.MAX_STAMPED_PACKET) {
                    passThrough = total;
                } else if (count - framed < total) {
                    if (total > pending.length) pending = Arrays.copyOf(pending, (int) total);
                    return;
                } else {
                    int packetEnd = framed + (int) total;
                    for (int at = WireStamps.find(pending, framed, packetEnd, WireStamps.SENT_SUFFIX); at >= 0;
                         at = WireStamps.find(pending, at + WireStamps.LENGTH, packetEnd, WireStamps.SENT_SUFFIX)) {
                        if (stamps == stampAt.length) stampAt = Arrays.copyOf(stampAt, stamps * 2);
                        stampAt[stamps++] = at;
                    }
                    framed = packetEnd;
                }
            }
        }
    }

    private void writeFramed() throws IOException {
        if (stamps > 0) {
            long now = clock.getAsLong();
            for (int i = 0; i < stamps; i++) WireStamps.write(pending, stampAt[i], now);
            stamps = 0;
        }
        out.write(pending, 0, framed);
        System.arraycopy(pending, framed, pending, 0, count - framed);
        count -= framed;
        framed = 0;
    }
}
