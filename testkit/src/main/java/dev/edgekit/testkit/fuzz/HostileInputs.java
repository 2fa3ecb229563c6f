package dev.edgekit.testkit.fuzz;

import dev.edgekit.testkit.fuzz.HostileInput.Kind;
import dev.edgekit.testkit.fuzz.HostileInput.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * Makes hostile inputs for a live fleet, seeded and so reproducible: the same seed, devices and birth numbers give the
 * same inputs. The topic layout is written out here by hand, from the documented scheme rather than from edgekit's
 * own {@code Topics}, so the fuzzer attacks what the documents promise, not what the code happens to do.
 *
 * <p>Every input is designed to be refused by a rule of docs/hardening.md and names the counter that rule moves
 * ({@link Outcome}); the only exceptions are {@link Kind#STAMP} and {@link Kind#FLOOD}, valid commands whose stamp or
 * rate is the attack.
 */
public final class HostileInputs {
    private static final String ROOT = "edgekit/v1/";
    /** Above the 4 KiB a command may have. */
    private static final int COMMAND_LIMIT = 4 * 1024;
    /** The device's session moves by this many birth numbers at most (the registry's plausibility rule). */
    private static final long IMPLAUSIBLE_JUMP = 1_000_000_000L;

    private final String site;
    private final List<String> devices;
    private final RandomGenerator random;
    private final InstantSource clock;
    private final Function<String, OptionalLong> birthSeqs;
    private long counter;

    /**
     * @param devices   the live devices to aim at (at least two: some inputs name another device)
     * @param clock     the fuzzer's idea of now, for stamps "in the future"
     * @param birthSeqs each device's current session number as a consumer sees it (empty: not known yet)
     */
    public HostileInputs(String site, List<String> devices, RandomGenerator random, InstantSource clock,
            Function<String, OptionalLong> birthSeqs) {
        if (devices.size() < 2) {
            throw new IllegalArgumentException("devices: at least two are needed, got " + devices.size());
        }
        this.site = site;
        this.devices = List.copyOf(devices);
        this.random = random;
        this.clock = clock;
        this.birthSeqs = birthSeqs;
    }

    /** One input of a kind chosen at random (floods are asked for with {@link #flood}). */
    public HostileInput next() {
        String device = devices.get(random.nextInt(devices.size()));
        int pick = random.nextInt(100);
        HostileInput input;
        if (pick < 10) {
            input = stamp(device);
        } else if (pick < 25) {
            input = loop(device);
        } else if (pick < 33) {
            input = command(Kind.NO_RESPONSE_TOPIC, device, "set", json("{\"v\":1,\"actuator\":\"fan\",\"duty\":10}"),
                    null, Outcome.NO_RESPONSE_TOPIC);
        } else if (pick < 38) {
            input = oversize(device);
        } else if (pick < 65) {
            input = malformed(device);
        } else if (pick < 70) {
            input = command(Kind.FOREIGN_ID, device, "set", json("{\"v\":1,\"id\":\"" + other(device)
                    + "\",\"actuator\":\"status\",\"on\":true}"), replyTopic(device), Outcome.BAD_COMMAND);
        } else if (pick < 88) {
            input = spoofedState(device);
        } else {
            input = junkTopic(device);
        }
        // any input may carry a poisoned stamp too: it must be refused and counted, and the input handled all the same
        return random.nextInt(8) == 0 && input.kind() != Kind.STAMP && input.kind() != Kind.JUNK_TOPIC
                && input.kind() != Kind.SPOOFED_STATE ? withPoisonedStamp(input) : input;
    }

    /** {@code n} valid {@code get} commands to one device, to be sent back to back. */
    public List<HostileInput> flood(int n) {
        String device = devices.get(random.nextInt(devices.size()));
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> command(Kind.FLOOD, device, "get",
                json("{\"v\":1}"), replyTopic(device), Outcome.ANSWERED)).toList();
    }

    private HostileInput stamp(String device) {
        return withPoisonedStamp(command(Kind.STAMP, device, "get", json("{\"v\":1}"), replyTopic(device),
                Outcome.ANSWERED));
    }

    private HostileInput withPoisonedStamp(HostileInput input) {
        long now = clock.millis();
        String goodHlc = now + ".0";
        Map<String, String> stamp = switch (random.nextInt(7)) {
            case 0 -> Map.of("lamport", Long.toString(Long.MAX_VALUE - random.nextInt(3)), "hlc", goodHlc);
            case 1 -> Map.of("lamport", "-1", "hlc", goodHlc);
            case 2 -> Map.of("lamport", "12abc", "hlc", goodHlc);
            case 3 -> Map.of("lamport", "1", "hlc", (now + 50_000 + random.nextInt(10_000)) + ".0");
            case 4 -> Map.of("lamport", "1", "hlc", Long.MAX_VALUE + "." + Long.MAX_VALUE);
            case 5 -> Map.of("lamport", "1", "hlc", now + ".99999999999");
            default -> Map.of("lamport", "1", "hlc", "not-a-stamp");
        };
        return new HostileInput(input.kind(), input.target(), input.topic(), input.payload(), input.responseTopic(),
                stamp, input.expected(), true);
    }

    private HostileInput loop(String device) {
        String other = other(device);
        String aim = switch (random.nextInt(9)) {
            case 0 -> cmdTopic(device, "get"); // itself: the reply would be a request again
            case 1 -> cmdTopic(other, "set"); // another device's command
            case 2 -> ROOT + site + "/" + device + "/telemetry/env-temperature";
            case 3 -> ROOT + "other-" + site + "/" + device + "/reply/op"; // another site's space (no wildcards:
            // MQTT forbids them in a response topic, so no client library can send one)
            case 4 -> ROOT + site + "/" + device + "/reply/";
            case 5 -> ROOT + site + "/" + other + "/reply/op"; // another device's reply space
            case 6 -> ROOT + site + "/" + device + "/reply/op//x";
            case 7 -> ROOT + site + "/" + device + "/reply/" + "x".repeat(600);
            default -> ROOT + site + "/$time/sim-time/request";
        };
        return command(Kind.LOOP, device, random.nextBoolean() ? "get" : "set",
                json("{\"v\":1,\"actuator\":\"status\",\"on\":true}"), aim, Outcome.MISDIRECTED);
    }

    private HostileInput oversize(String device) {
        int size = COMMAND_LIMIT + 1 + random.nextInt(60 * 1024);
        String padding = "x".repeat(size);
        return command(Kind.OVERSIZE, device, "set",
                json("{\"v\":1,\"actuator\":\"fan\",\"duty\":10,\"pad\":\"" + padding + "\"}"), replyTopic(device),
                Outcome.BAD_COMMAND);
    }

    private HostileInput malformed(String device) {
        byte[] body = switch (random.nextInt(16)) {
            case 0 -> new byte[] {'{', '"', 'v', '"', ':', '1', ',', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'};
            case 1 -> new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 0};
            case 2 -> json("{\"v\":1,\"actuator\":\"fan\",\"duty\":");
            case 3 -> json("{\"v\":1,\"actuator\":\"status\",\"on\":false,\"on\":true}");
            case 4 -> json("{\"v\":\"1\",\"actuator\":\"fan\",\"duty\":10}");
            case 5 -> json("{\"v\":99,\"actuator\":\"fan\",\"duty\":10}");
            case 6 -> json("[".repeat(2_000) + "]".repeat(2_000));
            case 7 -> json("{\"v\":1,\"actuator\":\"fan\",\"duty\":1e999}");
            case 8 -> json("{\"v\":1,\"actuator\":\"fan\",\"duty\":\"40\"}");
            case 9 -> json("{\"v\":1,\"actuator\":\"status\",\"on\":1}");
            case 10 -> json("{\"v\":1,\"actuator\":\"fan\",\"duty\":" + (101 + random.nextInt(1_000_000)) + "}");
            case 11 -> json("{\"v\":1,\"actuator\":\"no-such-output\",\"on\":true}");
            case 12 -> json("{\"v\":1,\"actuator\":\"fan\",\"on\":true,\"duty\":3}");
            case 13 -> json("null");
            case 14 -> new byte[0];
            default -> json("{\"v\":1,\"actuator\":\"fan\",\"duty\":-" + (1 + random.nextInt(100)) + "}");
        };
        // an unknown command name is a bad command too
        String name = random.nextInt(10) == 0 ? "reboot" : "set";
        return command(Kind.MALFORMED, device, name, body, replyTopic(device), Outcome.BAD_COMMAND);
    }

    private HostileInput spoofedState(String device) {
        OptionalLong known = birthSeqs.apply(device);
        long current = known.orElse(1);
        String state = ROOT + site + "/" + device + "/state";
        String heartbeat = ROOT + site + "/" + device + "/heartbeat";
        String now = clock.instant().toString();
        int pick = known.isPresent() ? random.nextInt(7) : 6;
        return switch (pick) {
            // a birth of a session far ahead: would make the real heartbeats look stale
            case 0 -> spoof(device, state, birth(device, current + IMPLAUSIBLE_JUMP + random.nextInt(1_000), now));
            // a birth of a plausible next session while the real one heartbeats: held, unconfirmed
            case 1 -> spoof(device, state, birth(device, current + 1 + random.nextInt(999), now));
            // the Will of the live session: shown at once, contradicted by its next heartbeat
            case 2 -> spoof(device, state, json("{\"v\":1,\"id\":\"" + device + "\",\"status\":\"offline\",\"birthSeq\":"
                    + current + ",\"reason\":\"connection-lost\"}"));
            // "forget this device" while it heartbeats
            case 3 -> spoof(device, state, new byte[0]);
            // a heartbeat of a session far ahead
            case 4 -> spoof(device, heartbeat, json("{\"v\":1,\"id\":\"" + device + "\",\"seq\":1,\"birthSeq\":"
                    + (current + IMPLAUSIBLE_JUMP) + ",\"time\":\"" + now + "\",\"uptimeSeconds\":1}"));
            // a heartbeat whose body names another device
            case 5 -> spoof(device, heartbeat, json("{\"v\":1,\"id\":\"" + other(device) + "\",\"seq\":1,\"birthSeq\":"
                    + current + ",\"time\":\"" + now + "\",\"uptimeSeconds\":1}"));
            default -> spoof(device, state, json("{\"v\":1,\"status\":\"online\",\"id\":\"" + device + "\",\"birthSeq\":"));
        };
    }

    private byte[] birth(String device, long birthSeq, String now) {
        return json("{\"v\":1,\"status\":\"online\",\"id\":\"" + device + "\",\"name\":\"spoof\",\"site\":\"" + site
                + "\",\"board\":{\"model\":\"fuzz\",\"serial\":\"f\"},\"capabilities\":[],\"software\":\"fuzz\","
                + "\"sessionStart\":\"" + now + "\",\"birthSeq\":" + birthSeq + ",\"degraded\":[]}");
    }

    private HostileInput spoof(String device, String topic, byte[] payload) {
        return new HostileInput(Kind.SPOOFED_STATE, device, topic, payload, null, Map.of(), Outcome.REGISTRY, false);
    }

    private HostileInput junkTopic(String device) {
        String base = ROOT + site + "/" + device;
        // inside a consumer's subscriptions (a bad id level): refused and counted by it; outside them (levels too
        // many or unknown): no edgekit client subscribes there, so nobody spends anything on them
        return switch (random.nextInt(6)) {
            case 0 -> junk(device, ROOT + site + "/Not_An_Id/heartbeat", Outcome.REGISTRY);
            case 1 -> junk(device, ROOT + site + "/-bad-/telemetry/env-temperature", Outcome.REGISTRY);
            case 2 -> junk(device, base + "/telemetry/a/b/c", Outcome.IGNORED);
            case 3 -> junk(device, base + "/whatever", Outcome.IGNORED);
            case 4 -> junk(device, base + "/telemetry", Outcome.IGNORED);
            default -> junk(device, base + "/event/x/y", Outcome.IGNORED);
        };
    }

    private HostileInput junk(String device, String topic, Outcome outcome) {
        return new HostileInput(Kind.JUNK_TOPIC, device, topic, json("{\"v\":1}"), null, Map.of(), outcome, false);
    }

    private HostileInput command(Kind kind, String device, String name, byte[] payload, String responseTopic,
            Outcome outcome) {
        return new HostileInput(kind, device, cmdTopic(device, name), payload, responseTopic, Map.of(), outcome, false);
    }

    private String cmdTopic(String device, String name) {
        return ROOT + site + "/" + device + "/cmd/" + name;
    }

    /** A reply topic inside the device's reply space, unique per input so replies can be matched. */
    private String replyTopic(String device) {
        return ROOT + site + "/" + device + "/reply/fuzz/" + (counter++);
    }

    private String other(String device) {
        String other;
        do {
            other = devices.get(random.nextInt(devices.size()));
        } while (other.equals(device));
        return other;
    }

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
