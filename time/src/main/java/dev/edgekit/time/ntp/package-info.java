/**
 * An NTP server (RFC 5905 server mode, also answering SNTP and NTPv3 clients) over UDP, serving a
 * {@link dev.edgekit.time.DisciplinedClock}: mode 4 replies to mode 3 requests with the clock's stratum, reference id,
 * root delay and dispersion derived from its error bound, and leap indicator 3 while it is unsynchronised. Every
 * datagram is untrusted: malformed ones (short, too large, wrong version or mode, control and private modes) are
 * dropped and counted; a per-source token bucket in a bounded table answers abuse with a kiss-o'-death {@code RATE}
 * and then silence; a reply is never larger than its request, so the server is no amplifier. {@link
 * dev.edgekit.time.ntp.NtpResponder} is the pure part (bytes in, bytes out, time as arguments);
 * {@link dev.edgekit.time.ntp.NtpServer} is one receive thread around it, stamping receive right after
 * {@code receive} and transmit right before {@code send}.
 */
package dev.edgekit.time.ntp;
