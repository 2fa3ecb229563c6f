package dev.edgekit.tools.fuzz;

import dev.edgekit.protocol.clock.HlcTimestamp;
import dev.edgekit.protocol.clock.LogicalClocks;
import dev.edgekit.protocol.clock.Stamp;
import dev.edgekit.protocol.clock.StampRefusedException;
import dev.edgekit.protocol.guard.RateLimitedLog;
import dev.edgekit.protocol.guard.TokenBucket;
import dev.edgekit.protocol.message.Codec;
import dev.edgekit.protocol.message.MalformedMessageException;
import dev.edgekit.protocol.mqtt.Inbound;
import dev.edgekit.ubiquitous.registry.Registry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongConsumer;
import org.slf4j.helpers.NOPLogger;

/**
 * What each defence costs on its own, in nanoseconds per operation: the checks every message passes or fails, run in
 * a loop on this JVM (warm-up first, then the median of five rounds). Not JMH: the point is the order of magnitude
 * beside a publish (tens of µs), printed by {@code edgekit bench fuzz --costs}.
 */
final class DefenceCosts {
    private static final int ROUNDS = 5;

    private DefenceCosts() {
    }

    /** Operation name → median ns per operation. */
    static Map<String, Double> measure(int operations) {
        Instant fixed = Instant.parse("2026-12-03T12:00:00Z");
        InstantSource clock = InstantSource.fixed(fixed);
        Map<String, Double> costs = new LinkedHashMap<>();

        LogicalClocks clocks = LogicalClocks.startingAt(clock);
        HlcTimestamp now = new HlcTimestamp(fixed.toEpochMilli(), 0);
        costs.put("stamp merged (checks included)", time(operations, i -> clocks.receive("dev", new Stamp(i, now))));
        Stamp poisoned = new Stamp(Long.MAX_VALUE - 1, now);
        costs.put("stamp refused (Lamport too far ahead)", time(operations, i -> {
            try {
                clocks.receive("dev", poisoned);
            } catch (StampRefusedException e) {
                // refused, as it must be
            }
        }));

        TokenBucket bucket = new TokenBucket(20, 40);
        costs.put("command rate check (token bucket)", time(operations, i -> bucket.tryAcquire(fixed)));

        RateLimitedLog log = new RateLimitedLog(NOPLogger.NOP_LOGGER, Duration.ofMinutes(1));
        costs.put("log line held back (rate-limited log)", time(operations, i -> log.warn("cause", fixed, "x {}", i)));

        Codec commands = new Codec(4 * 1024);
        byte[] oversize = new byte[8 * 1024];
        costs.put("oversize command refused before parsing", time(operations, i -> refused(commands, oversize)));
        byte[] duplicateKeys = "{\"v\":1,\"actuator\":\"status\",\"on\":false,\"on\":true}"
                .getBytes(StandardCharsets.UTF_8);
        costs.put("malformed command refused (duplicate key)", time(operations, i -> refused(commands, duplicateKeys)));

        Registry registry = new Registry(clock, new Codec());
        byte[] birth = ("{\"v\":1,\"status\":\"online\",\"id\":\"pi-01\",\"name\":\"n\",\"site\":\"lab1\",\"board\":"
                + "{\"model\":\"m\",\"serial\":\"s\"},\"capabilities\":[],\"software\":\"x\",\"sessionStart\":\""
                + fixed + "\",\"birthSeq\":BIRTH,\"degraded\":[]}").getBytes(StandardCharsets.UTF_8);
        registry.accept(inbound("edgekit/v1/lab1/pi-01/state", new String(birth, StandardCharsets.UTF_8)
                .replace("BIRTH", "5").getBytes(StandardCharsets.UTF_8), fixed));
        Inbound forged = inbound("edgekit/v1/lab1/pi-01/state", new String(birth, StandardCharsets.UTF_8)
                .replace("BIRTH", "5000000000").getBytes(StandardCharsets.UTF_8), fixed);
        costs.put("forged birth refused by a registry (decode + rule)", time(operations / 10,
                i -> registry.accept(forged)));
        return costs;
    }

    private static void refused(Codec codec, byte[] payload) {
        try {
            codec.decode(com.fasterxml.jackson.databind.JsonNode.class, payload);
        } catch (MalformedMessageException e) {
            // refused, as it must be
        }
    }

    private static Inbound inbound(String topic, byte[] payload, Instant at) {
        return new Inbound(topic, payload, 1, false, false, Map.of(), Optional.empty(), null, null, at);
    }

    /** Median ns per operation over {@link #ROUNDS} rounds, after one round of warm-up. */
    private static double time(int operations, LongConsumer operation) {
        double[] rounds = new double[ROUNDS];
        for (int round = -1; round < ROUNDS; round++) {
            long start = System.nanoTime(); // elapsed time of a benchmark loop, not a clock any component reads
            for (int i = 0; i < operations; i++) {
                operation.accept(i);
            }
            if (round >= 0) {
                rounds[round] = (double) (System.nanoTime() - start) / operations;
            }
        }
        java.util.Arrays.sort(rounds);
        return rounds[ROUNDS / 2];
    }
}
