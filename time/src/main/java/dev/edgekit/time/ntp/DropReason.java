package dev.edgekit.time.ntp;

/** Why a datagram got no answer; each is counted ({@link NtpServer.Stats#dropped}). */
public enum DropReason {
    /** Fewer than the 48 bytes of an NTP header. */
    SHORT,
    /** Larger than {@link NtpServerConfig#maxRequestBytes}. */
    TOO_LARGE,
    /** Not a whole number of 32-bit words (extension fields and MACs are, RFC 7822). */
    BAD_LENGTH,
    /** Version 0 or above 4. */
    BAD_VERSION,
    /** Not a client request (mode 3): symmetric, broadcast, server replies, reserved. */
    BAD_MODE,
    /** Mode 6 (control) or 7 (private): ntpd's management protocols, classic amplification vectors; never answered. */
    CONTROL,
    /** From port 0 or an address we must not answer (multicast, broadcast, any-local). */
    BAD_SOURCE,
    /** Over the source's rate and already sent a kiss-o'-death recently. */
    RATE
}
