package dev.edgekit.testkit.fuzz;

import java.util.Map;
import java.util.Objects;

/**
 * One hostile MQTT 5 publish and what the fleet must do with it.
 *
 * @param kind           what the input attacks
 * @param target         the device it is aimed at (the device level of its topic)
 * @param topic          where it is published (never retained: a fuzz run leaves nothing behind on the broker)
 * @param payload        the body, possibly not JSON, not UTF-8 or oversize
 * @param responseTopic  the MQTT 5 Response Topic, or null
 * @param userProperties MQTT 5 user properties, e.g. a poisoned {@code lamport} or {@code hlc} stamp
 * @param expected       the counter that must move by one for it
 * @param poisonedStamp  it carries a logical stamp the receiver must refuse (and count as {@code stamps})
 */
public record HostileInput(Kind kind, String target, String topic, byte[] payload, String responseTopic,
        Map<String, String> userProperties, Outcome expected, boolean poisonedStamp) {
    public HostileInput {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        userProperties = Map.copyOf(userProperties);
        Objects.requireNonNull(expected, "expected");
    }

    /** What an input attacks. */
    public enum Kind {
        /** A valid command carrying a logical stamp at or beyond the limits. */
        STAMP,
        /** A command whose response topic would make a loop or aim the reply at someone else. */
        LOOP,
        /** A command without a response topic (an MQTT 3.1.1 client, or a log-flood attempt). */
        NO_RESPONSE_TOPIC,
        /** A command above the size limit. */
        OVERSIZE,
        /** A command that is not UTF-8, not JSON, not our schema, out of range, or unknown. */
        MALFORMED,
        /** A command whose body names another device. */
        FOREIGN_ID,
        /** A birth, Will, heartbeat or forget of a live device's session, sent by someone else. */
        SPOOFED_STATE,
        /** A publish on a topic outside the scheme. */
        JUNK_TOPIC,
        /** A burst of valid commands beyond the device's rate limit. */
        FLOOD
    }

    /** The count an input must show up in, where the rules for it say. */
    public enum Outcome {
        /** Carried out and answered, or answered {@code busy} / counted {@code undelivered} when over the limit. */
        ANSWERED,
        /** Answered with a typed error (heartbeat {@code refused.badCommands}), or {@code busy} over the limit. */
        BAD_COMMAND,
        /** Not carried out: reply aimed outside the device's reply space ({@code refused.misdirected}). */
        MISDIRECTED,
        /** Not carried out: nowhere to reply ({@code refused.noResponseTopic}). */
        NO_RESPONSE_TOPIC,
        /** Refused by every consumer's registry (malformed, bad topic, implausible, unverified, contradicted). */
        REGISTRY,
        /** On a topic no edgekit client subscribes to: it reaches nobody, so nobody counts it. */
        IGNORED
    }
}
