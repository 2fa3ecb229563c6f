/**
 * Clock synchronisation without the wire: device and disciplined clocks, the exchange formulas
 * (Cristian, NTP four timestamps, the bounded synchronous-system method), sample validation, the
 * clock filter (a delay-weighted regression line through the exchanges of the last 32 polls, which gives
 * offset and frequency), the burst/poll state machine, socket-level stamps ({@code WireTimes}),
 * the drift file, Marzullo selection over several servers, Berkeley's fault-tolerant average and
 * the stratum/loop rule. Everything here is a pure function of its arguments: time comes in as
 * epoch nanoseconds or through an injected {@link java.time.InstantSource}, randomness through an
 * injected {@link java.util.random.RandomGenerator}; nothing reads the wall clock except
 * {@link dev.edgekit.time.DeviceClock#system()}, nothing sleeps or starts a thread. The MQTT
 * wiring drives {@link dev.edgekit.time.TimeSync} ({@code nextAction}, {@code onReply}) and
 * serves {@link dev.edgekit.time.DisciplinedClock#serverInfo}; units are in the names
 * ({@code offsetNanos}) wherever a raw {@code long} is used.
 */
package dev.edgekit.time;
