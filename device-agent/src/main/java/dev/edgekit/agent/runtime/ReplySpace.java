package dev.edgekit.agent.runtime;

import dev.edgekit.protocol.topic.Topics;

/**
 * Where a device may send a reply: only inside its own reply space {@code edgekit/v1/{site}/{device}/reply/{requester}/…}
 * (the topics the secure ACL lets this device, and only it, write). A request whose response topic points anywhere else
 * (the device's own {@code cmd/…}, another device's {@code cmd/set}, a telemetry topic) is not answered: a responder
 * that replied wherever a request said would be a relay for anyone, and two of them could be made to loop. Nothing in
 * the reply space is subscribed to by the device, so it can never answer itself.
 */
final class ReplySpace {
    static final String SEGMENT = "reply";
    /** A generous bound on a response topic's length: longer ones are refused before any work. */
    static final int MAX_TOPIC_LENGTH = 512;

    private ReplySpace() {
    }

    static String prefix(String site, String device) {
        return Topics.device(site, device) + "/" + SEGMENT + "/";
    }

    /** Whether {@code responseTopic} is a concrete topic at least one level below this device's reply space. */
    static boolean allows(String site, String device, String responseTopic) {
        if (responseTopic == null || responseTopic.length() > MAX_TOPIC_LENGTH) {
            return false;
        }
        String prefix = prefix(site, device);
        if (!responseTopic.startsWith(prefix) || responseTopic.length() == prefix.length()) {
            return false;
        }
        for (int i = 0; i < responseTopic.length(); i++) {
            char c = responseTopic.charAt(i);
            if (c == '+' || c == '#' || c == '\u0000') {
                return false;
            }
        }
        String rest = responseTopic.substring(prefix.length());
        return !rest.startsWith("/") && !rest.contains("//");
    }
}
