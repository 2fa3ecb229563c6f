package dev.edgekit.time.ntp;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of an {@link NtpServer}.
 *
 * @param bind             address and port to listen on (port 0: any free port)
 * @param referenceId      the reference id a stratum-1 server announces (1-4 ASCII characters, e.g. {@code EDGE})
 * @param ratePerSecond    sustained requests per second answered per source address
 * @param burst            requests a source may send at once before the rate applies
 * @param kissInterval     at most one kiss-o'-death {@code RATE} per source per interval; silence in between
 * @param maxSources       bound of the rate limiter's table of source addresses
 * @param maxRequestBytes  larger datagrams are dropped ({@link DropReason#TOO_LARGE})
 */
public record NtpServerConfig(InetSocketAddress bind, String referenceId, double ratePerSecond, int burst,
                              Duration kissInterval, int maxSources, int maxRequestBytes) {
    /** The well-known NTP port; binding it needs root or {@code CAP_NET_BIND_SERVICE}. */
    public static final int NTP_PORT = 123;

    public NtpServerConfig {
        Objects.requireNonNull(bind, "bind");
        NtpWire.asciiId(referenceId);
        if (!(ratePerSecond > 0) || burst < 1 || maxSources < 1 || kissInterval.isNegative()) {
            throw new IllegalArgumentException("ntp rate limit: rate > 0, burst >= 1, maxSources >= 1");
        }
        if (maxRequestBytes < NtpWire.HEADER_BYTES || maxRequestBytes > 65_507) {
            throw new IllegalArgumentException("ntp maxRequestBytes must be 48..65507, not " + maxRequestBytes);
        }
    }

    /**
     * Defaults on {@code address:port}: reference id {@code EDGE}; 1 request/s per source with a burst of 8 (room for
     * chrony's and ntpd's {@code iburst}, sntp and ntpdate); one kiss per 2 s; 4,096 sources; requests up to 1,024
     * bytes (a header with NTS-sized extension fields).
     */
    public static NtpServerConfig on(InetAddress address, int port) {
        return new NtpServerConfig(new InetSocketAddress(address, requirePort(port, "port")), "EDGE", 1.0, 8,
                Duration.ofSeconds(2), 4096, 1024);
    }

    public NtpServerConfig withRate(double newRatePerSecond, int newBurst) {
        return new NtpServerConfig(bind, referenceId, newRatePerSecond, newBurst, kissInterval, maxSources, maxRequestBytes);
    }

    public NtpServerConfig withReferenceId(String newReferenceId) {
        return new NtpServerConfig(bind, newReferenceId, ratePerSecond, burst, kissInterval, maxSources, maxRequestBytes);
    }

    public NtpServerConfig withMaxSources(int newMaxSources) {
        return new NtpServerConfig(bind, referenceId, ratePerSecond, burst, kissInterval, newMaxSources, maxRequestBytes);
    }

    /** A UDP port 0..65535 (0: any free port), or one line naming {@code field}. */
    public static int requirePort(int port, String field) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(field + ": " + port + " is not a UDP port (1-65535, or 0 for any free port)");
        }
        return port;
    }
}
