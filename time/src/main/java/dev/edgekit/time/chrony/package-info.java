/**
 * The board's system clock from the fleet: {@link dev.edgekit.time.chrony.ChronyFeed} hands the agent's disciplined
 * time to chronyd as a {@code SOCK} reference clock (one Unix datagram per sample, chrony's {@code refclock_sock.c}
 * protocol, encoded by {@link dev.edgekit.time.chrony.SockSample}), so chronyd disciplines the system clock, combines
 * it with its other sources and keeps it through agent restarts. Only good samples go out (synchronised, error bound
 * under a limit); the feed reports whether chronyd is taking them.
 */
package dev.edgekit.time.chrony;
